/* journeygraph version: the single source of the version number.
 * C and C++ compatible; CMake and setup.py read the three numbers from this file. */
#ifndef JOURNEYGRAPH_VERSION_H
#define JOURNEYGRAPH_VERSION_H

#define JG_VERSION_MAJOR 0
#define JG_VERSION_MINOR 5
#define JG_VERSION_PATCH 9
#define JG_VERSION_STRING "0.5.9"

/* A single comparable number: major * 10000 + minor * 100 + patch. */
#define JG_VERSION_NUMBER (JG_VERSION_MAJOR * 10000 + JG_VERSION_MINOR * 100 + JG_VERSION_PATCH)

#endif
