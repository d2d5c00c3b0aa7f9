// libFuzzer target for the npz reader: any input must give a tensor source or an error,
// never a crash, a sanitizer report, a hang or a huge allocation.
#include "core/formats/npz_reader.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QString path = cstudio::fuzz::writeInput(".npz", data, size);
    auto source = cstudio::openNpz(path);
    if (source)
        cstudio::fuzz::exercise(*source.value());
    return 0;
}
