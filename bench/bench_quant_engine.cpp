// bench_quant_engine: the analysis engine against the baselines of issue 4, in one run, on the
// same float32 weights (default 256 M = 1 GiB, Gaussian sigma 0.02 with 0.4 % outliers x6):
//   - float32 read bandwidth (all threads summing the buffer), our reference ceiling;
//   - the seed-002 sweep (8 schemes: int8/4/3/2 x tensor/g64) in our engine vs vectorized NumPy;
//   - int4:g64 alone vs the read bandwidth;
//   - seed 002's own loop code on a slice.
// Usage: bench_quant_engine [--weights N] [--threads N] [--python PATH] [--data FILE]
// NumPy runs bench/numpy_reference.py on the same weights written to FILE.
#include "core/analysis/cpu_analysis_engine.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTextStream>
#include <cmath>
#include <cstring>
#include <thread>

using namespace cstudio;

namespace {

class BufferSource final : public TensorSource {
public:
    BufferSource(const float* data, qint64 rows, qint64 cols) : data_(data)
    {
        TensorInfo info;
        info.name = QStringLiteral("bench.weight");
        info.shape = {rows, cols};
        info.dtype = QStringLiteral("F32");
        info.elementCount = rows * cols;
        info.byteSize = info.elementCount * 4;
        info.decodable = true;
        info.layer = 0;
        info.role = QStringLiteral("mlp_up");
        infos_.push_back(info);
    }
    QString displayName() const override { return QStringLiteral("benchmark buffer"); }
    const std::vector<TensorInfo>& tensors() const override { return infos_; }
    Result<void> readFloats(int, qint64 first, std::span<float> out) const override
    {
        std::memcpy(out.data(), data_ + first, out.size() * sizeof(float));
        return {};
    }

private:
    const float* data_;
    std::vector<TensorInfo> infos_;
};

// Deterministic weights: sum of 4 uniforms (near-Gaussian), sigma 0.02, 0.4 % outliers x6.
void fillWeights(std::vector<float>& w, int threads)
{
    std::vector<std::thread> pool;
    const std::size_t n = w.size(), part = (n + threads - 1) / threads;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            std::uint64_t state = 0x9E3779B97F4A7C15ull * (t + 1);
            auto next = [&] {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                return static_cast<float>(state >> 40) * (1.0f / 16777216.0f);
            };
            for (std::size_t i = t * part; i < std::min(n, (t + 1) * part); ++i) {
                const float gaussian = (next() + next() + next() + next() - 2.0f) * 1.7320508f;  // unit variance
                w[i] = 0.02f * gaussian * (next() < 0.004f ? 6.0f : 1.0f);
            }
        });
    for (auto& thread : pool)
        thread.join();
}

double readBandwidthSeconds(const std::vector<float>& w, int threads)
{
    std::vector<double> sums(static_cast<std::size_t>(threads));
    QElapsedTimer timer;
    timer.start();
    std::vector<std::thread> pool;
    const std::size_t n = w.size(), part = (n + threads - 1) / threads;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            float lanes[16] = {};
            const std::size_t end = std::min(n, (t + 1) * part);
            std::size_t i = t * part;
            for (; i + 16 <= end; i += 16)
                for (int k = 0; k < 16; ++k)
                    lanes[k] += w[i + k];
            double s = 0;
            for (float l : lanes)
                s += l;
            sums[static_cast<std::size_t>(t)] = s;
        });
    for (auto& thread : pool)
        thread.join();
    const double seconds = static_cast<double>(timer.nsecsElapsed()) * 1e-9;
    volatile double sink = sums[0];
    (void)sink;
    return seconds;
}

double runEngine(const BufferSource& source, const QString& schemes, int threads, bool histograms, AnalysisResult* out)
{
    AnalysisRequest request;
    request.schemes = parseSchemeList(schemes).value();
    request.threads = threads;
    request.errorHistograms = histograms;
    request.chunkElements = 1 << 18;
    QElapsedTimer timer;
    timer.start();
    auto result = CpuAnalysisEngine(threads).run(source, request, {});
    const double seconds = static_cast<double>(timer.nsecsElapsed()) * 1e-9;
    if (out && result)
        *out = result.value();
    return seconds;
}

}  // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    qint64 weights = 256LL << 20;
    int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    QString python = qEnvironmentVariable("CSTUDIO_PYTHON", QStringLiteral("python3"));
    QString dataPath = QStringLiteral("/tmp/cstudio_bench_weights.f32");
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--weights"))
            weights = args[i + 1].toLongLong();
        else if (args[i] == QLatin1String("--threads"))
            threads = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--python"))
            python = args[i + 1];
        else if (args[i] == QLatin1String("--data"))
            dataPath = args[i + 1];
    }
    const qint64 cols = 4096, rows = weights / cols;
    weights = rows * cols;
    std::vector<float> w(static_cast<std::size_t>(weights));
    fillWeights(w, threads);
    const BufferSource source(w.data(), rows, cols);
    const double gb = static_cast<double>(weights) * 4e-9;
    out << "weights: " << weights / 1000000 << " M float32 (" << QString::number(gb, 'f', 2) << " GB), threads: " << threads << "\n";

    double readSeconds = 1e30;
    for (int k = 0; k < 3; ++k)
        readSeconds = std::min(readSeconds, readBandwidthSeconds(w, threads));
    const QString sweep = QStringLiteral("int8:tensor,int8:g64,int4:tensor,int4:g64,int3:tensor,int3:g64,int2:tensor,int2:g64");
    AnalysisResult sweepResult;
    const double sweepSeconds = runEngine(source, sweep, threads, false, &sweepResult);
    const double sweepHistogramSeconds = runEngine(source, sweep, threads, true, nullptr);
    const double int4Seconds = runEngine(source, QStringLiteral("int4:g64"), threads, false, nullptr);
    const double rate = static_cast<double>(weights);
    out << QStringLiteral("read (sum)            %1 s  %2 GB/s  %3 G weights/s\n").arg(readSeconds, 7, 'f', 3).arg(gb / readSeconds, 6, 'f', 2).arg(rate / readSeconds * 1e-9, 6, 'f', 2);
    out << QStringLiteral("engine 8-scheme sweep %1 s  %2 M weights/s (with error histograms: %3 M weights/s)\n").arg(sweepSeconds, 7, 'f', 3).arg(rate / sweepSeconds * 1e-6, 8, 'f', 1).arg(rate / sweepHistogramSeconds * 1e-6, 0, 'f', 1);
    out << QStringLiteral("engine int4:g64       %1 s  %2 M weights/s = %3 % of read bandwidth\n").arg(int4Seconds, 7, 'f', 3).arg(rate / int4Seconds * 1e-6, 8, 'f', 1).arg(100.0 * readSeconds / int4Seconds, 0, 'f', 1);
    out.flush();

    QFile data(dataPath);
    if (!data.open(QIODevice::WriteOnly) || data.write(reinterpret_cast<const char*>(w.data()), weights * 4) != weights * 4) {
        out << "cannot write " << dataPath << ": NumPy comparison skipped\n";
        return 1;
    }
    data.close();
    std::vector<float>().swap(w);  // give NumPy the memory
    QProcess numpy;
    numpy.start(python, {QStringLiteral(CSTUDIO_SOURCE_DIR "/bench/numpy_reference.py"), dataPath});
    numpy.waitForFinished(-1);
    QFile::remove(dataPath);
    const QJsonObject ref = QJsonDocument::fromJson(numpy.readAllStandardOutput()).object();
    if (numpy.exitCode() != 0 || ref.isEmpty()) {
        out << "NumPy reference failed: " << numpy.readAllStandardError() << "\n";
        return 1;
    }
    const double npRead = ref[QStringLiteral("read_seconds")].toDouble(), npSweep = ref[QStringLiteral("sweep_seconds")].toDouble();
    const double npInt4 = ref[QStringLiteral("int4_g64_seconds")].toDouble();
    const double loopRate = ref[QStringLiteral("seed_loop_weights")].toDouble() / ref[QStringLiteral("seed_loop_seconds")].toDouble();
    out << QStringLiteral("numpy read (w.sum())  %1 s  %2 GB/s\n").arg(npRead, 7, 'f', 3).arg(gb / npRead, 6, 'f', 2);
    out << QStringLiteral("numpy 8-scheme sweep  %1 s  %2 M weights/s\n").arg(npSweep, 7, 'f', 3).arg(rate / npSweep * 1e-6, 8, 'f', 1);
    out << QStringLiteral("numpy int4:g64        %1 s  %2 M weights/s\n").arg(npInt4, 7, 'f', 3).arg(rate / npInt4 * 1e-6, 8, 'f', 1);
    out << QStringLiteral("seed loop code (slice of %1 M) %2 M weights/s\n").arg(ref[QStringLiteral("seed_loop_weights")].toDouble() * 1e-6, 0, 'f', 1).arg(loopRate * 1e-6, 0, 'f', 2);
    out << QStringLiteral("\nsweep: engine / numpy = %1x (goal >= 20x); engine / seed loop = %2x\n").arg(npSweep / sweepSeconds, 0, 'f', 1).arg(rate / sweepSeconds / loopRate, 0, 'f', 0);
    out << QStringLiteral("int4:g64: %1 % of our read bandwidth (goal >= 50 %); %2x numpy\n").arg(100.0 * readSeconds / int4Seconds, 0, 'f', 1).arg(npInt4 / int4Seconds, 0, 'f', 1);
    // the engine's numbers are the numbers numpy gets
    const QJsonObject npRmse = ref[QStringLiteral("sweep_rmse")].toObject();
    double worst = 0;
    for (const auto& m : sweepResult.model)
        worst = std::max(worst, std::fabs(m.error.rmse() / npRmse[m.scheme].toDouble() - 1.0));
    out << QStringLiteral("largest relative RMSE difference engine vs numpy: %1\n").arg(worst, 0, 'e', 2);
    return 0;
}
