#pragma once
// The commands of the journeygraph program. Each lives in src/cli/cmd_NAME.cpp and is listed in
// kCommands (main.cpp); it parses argv[2..] and returns the exit status (0 ok, 1 data error, 2 usage).

namespace journeygraph::cli {

int cmd_attribute(int argc, char** argv);
int cmd_transitions(int argc, char** argv);
int cmd_fit(int argc, char** argv);
int cmd_demo(int argc, char** argv);
int cmd_generate(int argc, char** argv);
int cmd_order(int argc, char** argv);
int cmd_map(int argc, char** argv);
int cmd_report(int argc, char** argv);
int cmd_funnel(int argc, char** argv);
int cmd_paths(int argc, char** argv);
int cmd_drivers(int argc, char** argv);
int cmd_score(int argc, char** argv);
int cmd_credit(int argc, char** argv);
int cmd_sequences(int argc, char** argv);

}  // namespace journeygraph::cli
