// Prints "name isa" for every kernel the library reports (test_list.py's truth).
#include <convkit/convkit.h>

#include <cstdio>

int main() {
    for (const convkit::KernelInfo& k : convkit::kernels())
        std::printf("%s %s\n", k.name.c_str(), k.isa.c_str());
    return 0;
}
