// A full streaming pass over a large safetensors file with bounded memory.
//
// Usage: bench_streaming_memory [FILE] [GIGABYTES]   (defaults: /tmp/cstudio-bench-10gb.safetensors, 10)
// Writes FILE if it does not exist (BF16 tensors of a deterministic pattern; check free disk
// space first), then reads every tensor through the same path as the analysis engine
// (openWeights -> TensorSource::readFloats in 1 Mi-element chunks -> streaming moments) and
// prints throughput, peak resident memory (getrusage) and peak anonymous memory (RssAnon of
// /proc/self/status, sampled every 20 ms). Reference in the same run: a plain read() of the
// file into a 64 MiB buffer, which is what the disk and page cache allow.
#include "core/analysis/weight_statistics.h"
#include "core/formats/weights_loader.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonArray>
#include <QStorageInfo>
#include <atomic>
#include <cstdio>
#include <sys/resource.h>
#include <thread>
#include <vector>

using namespace cstudio;

namespace {

constexpr qint64 kTensorBytes = 256LL << 20;  // 128 Mi BF16 values per tensor
constexpr qint64 kRowLength = 4096;

qint64 anonymousKilobytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("RssAnon:"))
            return line.mid(8).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

bool writeFile(const QString& path, qint64 gigabytes)
{
    const qint64 tensorCount = std::max<qint64>(1, gigabytes * 1'000'000'000LL / kTensorBytes);
    QJsonObject header;
    for (qint64 i = 0; i < tensorCount; ++i)
        header.insert(QStringLiteral("model.layers.%1.mlp.up_proj.weight").arg(i, 3, 10, QLatin1Char('0')),
                      QJsonObject{{QStringLiteral("dtype"), QStringLiteral("BF16")},
                                  {QStringLiteral("shape"), QJsonArray{kTensorBytes / 2 / kRowLength, kRowLength}},
                                  {QStringLiteral("data_offsets"), QJsonArray{i * kTensorBytes, (i + 1) * kTensorBytes}}});
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    while ((json.size() + 8) % 8)
        json.append(' ');
    const qint64 total = 8 + json.size() + tensorCount * kTensorBytes;
    if (QStorageInfo(QFileInfo(path).absolutePath()).bytesAvailable() < total + (2LL << 30)) {
        std::fprintf(stderr, "not enough free disk space for %lld bytes\n", static_cast<long long>(total));
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    const quint64 length = quint64(json.size());
    file.write(reinterpret_cast<const char*>(&length), 8);
    file.write(json);
    std::vector<quint16> chunk(32 << 20);  // 64 MiB of BF16 values around ±0.02
    for (qint64 written = 0; written < tensorCount * kTensorBytes; written += qint64(chunk.size()) * 2) {
        for (std::size_t i = 0; i < chunk.size(); ++i)
            chunk[i] = quint16(0x3ca0 + ((i * 2654435761u + quint64(written)) >> 7) % 0x60) | ((i & 1) ? 0x8000 : 0);
        file.write(reinterpret_cast<const char*>(chunk.data()), qint64(chunk.size()) * 2);
    }
    return file.error() == QFile::NoError;
}

}  // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    const QString path = arguments.value(1, QStringLiteral("/tmp/cstudio-bench-10gb.safetensors"));
    const qint64 gigabytes = arguments.value(2, QStringLiteral("10")).toLongLong();
    if (!QFile::exists(path)) {
        std::printf("writing %lld GB to %s ...\n", static_cast<long long>(gigabytes), qPrintable(path));
        std::fflush(stdout);
        if (!writeFile(path, gigabytes))
            return 1;
    }
    const qint64 fileBytes = QFileInfo(path).size();

    // Reference: sequential read() of the whole file.
    QElapsedTimer timer;
    timer.start();
    {
        QFile file(path);
        file.open(QIODevice::ReadOnly);
        std::vector<char> buffer(64 << 20);
        while (file.read(buffer.data(), qint64(buffer.size())) > 0) {
        }
    }
    const double referenceSeconds = double(timer.nsecsElapsed()) / 1e9;

    std::atomic_bool done = false;
    std::atomic<qint64> peakAnonymous = anonymousKilobytes();
    std::thread sampler([&] {
        while (!done) {
            peakAnonymous = std::max(peakAnonymous.load(), anonymousKilobytes());
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    timer.restart();
    auto source = openWeights(path);
    if (!source) {
        std::fprintf(stderr, "%s\n", qPrintable(source.error().toString()));
        return 1;
    }
    WeightMoments moments;
    std::vector<float> chunk(1 << 20);
    qint64 elements = 0;
    for (std::size_t index = 0; index < source.value()->tensors().size(); ++index) {
        const qint64 count = source.value()->tensors()[index].elementCount;
        for (qint64 first = 0; first < count; first += qint64(chunk.size())) {
            const std::span<float> values(chunk.data(), std::size_t(std::min<qint64>(qint64(chunk.size()), count - first)));
            if (auto read = source.value()->readFloats(int(index), first, values); !read) {
                std::fprintf(stderr, "%s\n", qPrintable(read.error().toString()));
                return 1;
            }
            moments.add(values);
            elements += qint64(values.size());
        }
    }
    const double passSeconds = double(timer.nsecsElapsed()) / 1e9;
    done = true;
    sampler.join();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);

    std::printf("file: %s, %.2f GB, %zu tensors, %lld BF16 values\n", qPrintable(path), double(fileBytes) / 1e9,
                source.value()->tensors().size(), static_cast<long long>(elements));
    std::printf("reference read():        %6.2f s  %6.2f GB/s\n", referenceSeconds, double(fileBytes) / 1e9 / referenceSeconds);
    std::printf("full pass (read+decode+moments): %6.2f s  %6.2f GB/s  (%.2f x the reference time)\n", passSeconds,
                double(fileBytes) / 1e9 / passSeconds, passSeconds / referenceSeconds);
    std::printf("mean %.6g  sigma %.6g over %lld values\n", moments.mean(), moments.standardDeviation(),
                static_cast<long long>(moments.count));
    std::printf("peak resident memory (ru_maxrss): %.1f MB\n", double(usage.ru_maxrss) / 1024.0);
    std::printf("peak anonymous memory (RssAnon, sampled): %.1f MB\n", double(peakAnonymous.load()) / 1024.0);
    return 0;
}
