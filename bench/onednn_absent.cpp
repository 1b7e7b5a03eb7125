// Built when CMake finds no oneDNN (libdnnl-dev): the benchmark runs without the peer.
#include "onednn_peer.h"

namespace convkit_bench {

bool onednn_available() { return false; }

std::string onednn_description() {
    return "oneDNN: not built in (libdnnl-dev was not found at configure time)";
}

std::unique_ptr<Contender> make_onednn_contender(const Layer&, const std::string& variant,
                                                 const std::vector<float>&, int, Buffers&) {
    throw std::runtime_error(variant + ": this build has no oneDNN");
}

}  // namespace convkit_bench
