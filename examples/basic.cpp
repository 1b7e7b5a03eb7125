// The README's API example: one 3x3 convolution with bias + ReLU.
#include <convkit/convkit.h>

#include <cstdio>
#include <vector>

int main() {
    // N=1, C=64, 56x56 input, M=64 outputs, 3x3 kernel, stride 1, pad 1.
    convkit::ConvShape shape = convkit::make_shape(1, 64, 56, 56, 64, 3, 1, 1);
    std::vector<float> weights(shape.weight_elements(), 0.01f), bias(shape.M, 0.5f);
    std::vector<float> input(shape.input_elements(), 1.0f), output(shape.output_elements());

    convkit::Options options;                        // kernel "auto", 1 thread
    options.epilogue = convkit::Epilogue::BiasRelu;  // y = max(conv + bias, 0)
    try {
        convkit::Plan plan(shape, weights.data(), bias.data(), options);  // packs weights once
        plan.run(input.data(), output.data());                              // run any number of times
        std::printf("kernel %s (%s): %zu workspace bytes, out[0]=%g\n", plan.kernel().name.c_str(),
                    plan.kernel().isa.c_str(), plan.workspace_bytes(), output[0]);
    } catch (const convkit::Error& e) {  // invalid shapes/arguments: message names the field
        std::fprintf(stderr, "convkit: %s\n", e.what());
        return 1;
    }
}
