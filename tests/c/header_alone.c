/* journeygraph.h must compile alone, first and only, as strict C99 and as C++. */
#include "journeygraph/journeygraph.h"
