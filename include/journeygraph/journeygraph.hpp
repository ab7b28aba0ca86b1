#pragma once
/// \file journeygraph.hpp
/// Everything in the journeygraph C++ API. Include the single-concept headers instead to compile less.

#include "journeygraph/analysis.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/cleaning.hpp"
#include "journeygraph/drivers.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/execution.hpp"
#include "journeygraph/funnel.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/journey_map.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/markov.hpp"
#include "journeygraph/paths.hpp"
#include "journeygraph/samples.hpp"
#include "journeygraph/span.hpp"
#include "journeygraph/uncertainty.hpp"
#include "journeygraph/version.hpp"
