// libFuzzer target for the gguf reader: any input must give a tensor source or an error,
// never a crash, a sanitizer report, a hang or a huge allocation.
#include "core/formats/gguf_reader.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QString path = cstudio::fuzz::writeInput(".gguf", data, size);
    auto source = cstudio::openGguf(path);
    if (source)
        cstudio::fuzz::exercise(*source.value());
    return 0;
}
