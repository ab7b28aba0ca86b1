#pragma once
/// \file journeygraph.hpp
/// Everything in the journeygraph C++ API. Include the single-concept headers instead to compile less.

#include "journeygraph/analysis.hpp"
#include "journeygraph/attribution.hpp"
#include "journeygraph/compare.hpp"
#include "journeygraph/error.hpp"
#include "journeygraph/execution.hpp"
#include "journeygraph/graph.hpp"
#include "journeygraph/io.hpp"
#include "journeygraph/journey_map.hpp"
#include "journeygraph/journeys.hpp"
#include "journeygraph/map.hpp"
#include "journeygraph/markov.hpp"
#include "journeygraph/render.hpp"
#include "journeygraph/samples.hpp"
#include "journeygraph/span.hpp"
#include "journeygraph/stages.hpp"
#include "journeygraph/table.hpp"
#include "journeygraph/text.hpp"
#include "journeygraph/uncertainty.hpp"
#include "journeygraph/version.hpp"
