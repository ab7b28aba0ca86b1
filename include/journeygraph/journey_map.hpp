#pragma once
/// \file journey_map.hpp
/// Everything about journey maps, one header per concept: stages (stages.hpp), the journey graph
/// (graph.hpp), the map and its analyses (map.hpp), comparing two maps (compare.hpp), exports and pictures
/// (render.hpp) and the result tables (table.hpp). Include the single-concept headers to compile less.

#include "journeygraph/compare.hpp"
#include "journeygraph/graph.hpp"
#include "journeygraph/map.hpp"
#include "journeygraph/render.hpp"
#include "journeygraph/stages.hpp"
#include "journeygraph/table.hpp"
