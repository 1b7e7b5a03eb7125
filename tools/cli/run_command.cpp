// convkit run: convolves a grey image with a filter bank through any kernel and
// writes the feature maps as PNG (display mapping: feature_maps.h).
// Colour input is converted to grey by libpng; the image is C=1, the bank's
// filters are the M output channels.
#include "cli_options.h"
#include "commands.h"
#include "feature_maps.h"
#include "filter_bank.h"
#include "png_io.h"
#include "synthetic_image.h"

#include <convkit/convkit.h>
#include <progress.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

namespace convkit_cli {
namespace {

const CommandSpec kSpec{
    "run", "",
    "Convolves a PNG image (converted to grey) with a filter bank through a convkit kernel\n"
    "and writes one PNG per output channel, shown as |y| / max|y| of that channel.",
    {{"--input", "FILE", "the PNG image"},
     {"--synthetic", "KIND", "a generated image instead: step (vertical edge) or checker"},
     {"--size", "WxH", "size of the synthetic image (default 96x64)"},
     {"--filters", "BANK", "sobel (x, y), gaussian (5x5), laplacian, random (default sobel)"},
     {"--channels", "N", "filters in the random bank (default 8)"},
     {"--seed", "S", "seed of the random bank (default 1)"},
     {"--kernel", "NAME", "a kernel from `convkit list`, or auto (default auto)"},
     {"--isa", "NAME", "an ISA this CPU runs, or auto (default auto)"},
     {"--threads", "N", "worker threads (default 1)"},
     {"--stride", "N", "stride on both axes (default 1)"},
     {"--pad", "MODE", "same (zero padding, output = input / stride) or valid (none) (default same)"},
     {"--reps", "N", "timed runs; the median is printed (default 5)"},
     {"--out-dir", "DIR", "where the PNGs go, created if missing (default convkit_run)"},
     {"--grid", "", "also write grid.png, all channels tiled"}},
    0};

struct Input {
    Image image;
    std::string description;
};

std::pair<int, int> parse_size(const std::string& text) {
    int w = 0, h = 0;
    char x = 0, extra = 0;
    if (std::sscanf(text.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || x != 'x' || w < 1 || h < 1)
        throw UsageError("--size '" + text + "': expected WIDTHxHEIGHT, e.g. 96x64");
    return {w, h};
}

Input load_input(const ParsedOptions& opts) {
    if (opts.has("--input") == opts.has("--synthetic"))
        throw UsageError("give exactly one of --input FILE and --synthetic step|checker");
    if (opts.has("--input")) {
        const std::string path = opts.text("--input");
        return {read_grey_png(path), path};
    }
    auto [w, h] = parse_size(opts.text("--size", "96x64"));
    const std::string kind = opts.text("--synthetic");
    return {synthetic_image(kind, w, h), "synthetic " + kind};
}

int64_t padding(const std::string& mode, int filter_size) {
    if (mode == "same") return (filter_size - 1) / 2;
    if (mode == "valid") return 0;
    throw UsageError("--pad '" + mode + "': expected same or valid");
}

convkit::ConvShape run_shape(const Image& im, const FilterBank& bank, const ParsedOptions& opts) {
    const int64_t stride = opts.integer("--stride", 1, 1);
    return convkit::make_shape(1, 1, im.height, im.width, bank.count(), bank.size, stride,
                               padding(opts.text("--pad", "same"), bank.size));
}

convkit::Options plan_options(const ParsedOptions& opts) {
    convkit::Options o;
    o.kernel = opts.text("--kernel", "auto");
    o.isa = opts.text("--isa", "auto");
    o.threads = opts.integer("--threads", 1, 1);
    return o;
}

struct Timing {
    double median_ms = 0;
    size_t peak_bytes = 0;
};

// One run under MemoryProbe, then `reps` timed runs (progress bar if > 1 s).
Timing time_runs(const convkit::Plan& plan, const std::vector<float>& in, std::vector<float>& out,
                 int reps) {
    Timing t;
    {
        convkit::MemoryProbe probe;
        plan.run(in.data(), out.data());
        t.peak_bytes = probe.peak_bytes();
    }
    convkit_bench::Progress progress("run");
    std::vector<double> ms;
    for (int r = 0; r < reps; ++r) {
        auto start = std::chrono::steady_clock::now();
        plan.run(in.data(), out.data());
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        progress.update(double(r + 1) / reps);
    }
    std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
    t.median_ms = ms[ms.size() / 2];
    return t;
}

void write_maps(const std::string& dir, const FilterBank& bank, std::vector<Image> maps, bool grid) {
    std::filesystem::create_directories(dir);
    for (size_t c = 0; c < maps.size(); ++c) {
        const float peak = normalise_for_display(maps[c]);
        const std::string path = dir + "/" + bank.names[c] + ".png";
        write_grey_png(path, maps[c]);
        std::printf("wrote %s (max |y| = %g shown white)\n", path.c_str(), peak);
    }
    if (!grid) return;
    write_grey_png(dir + "/grid.png", tile_grid(maps));
    std::printf("wrote %s/grid.png (%zu channels)\n", dir.c_str(), maps.size());
}

void print_report(const Input& input, const FilterBank& bank, const convkit::Plan& plan,
                  const Timing& t, int reps, const std::string& filters) {
    const convkit::ConvShape& s = plan.shape();
    std::printf("input: %s, %lldx%lld grey\n", input.description.c_str(), (long long)s.W, (long long)s.H);
    std::printf("filters: %s, %d x %dx%d; output %lld x %lldx%lld (%s)\n", filters.c_str(),
                bank.count(), bank.size, bank.size, (long long)s.M, (long long)s.out_w(),
                (long long)s.out_h(), s.to_string().c_str());
    std::printf("kernel: %s (%s), %d thread%s\n", plan.kernel().name.c_str(), plan.isa().c_str(),
                plan.threads(), plan.threads() > 1 ? "s" : "");
    std::printf("time: %.4f ms (median of %d runs)\n", t.median_ms, reps);
    std::printf("extra memory: %zu bytes (Plan::workspace_bytes), %zu bytes measured peak (MemoryProbe)\n",
                plan.workspace_bytes(), t.peak_bytes);
}

}  // namespace

int run_command(int argc, char** argv) {
    const ParsedOptions opts = parse_options(kSpec, argc, argv);
    if (opts.help) {
        print_help(kSpec, stdout);
        return 0;
    }
    const Input input = load_input(opts);
    const std::string filters = opts.text("--filters", "sobel");
    const FilterBank bank = make_filter_bank(filters, opts.integer("--channels", 8, 1),
                                             uint32_t(opts.integer("--seed", 1, 0)));
    const int reps = opts.integer("--reps", 5, 1);
    const convkit::Plan plan(run_shape(input.image, bank, opts), bank.weights.data(), nullptr,
                             plan_options(opts));
    std::vector<float> out(size_t(plan.shape().output_elements()));
    const Timing t = time_runs(plan, input.image.pixels, out, reps);
    print_report(input, bank, plan, t, reps, filters);
    write_maps(opts.text("--out-dir", "convkit_run"), bank,
               split_channels(out, bank.count(), int(plan.shape().out_w()), int(plan.shape().out_h())),
               opts.has("--grid"));
    return 0;
}

}  // namespace convkit_cli
