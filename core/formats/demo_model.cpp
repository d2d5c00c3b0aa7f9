#include "core/formats/demo_model.h"

#include "core/formats/tensor_naming.h"

#include <cmath>
#include <cstdint>
#include <numbers>

namespace cstudio {
namespace {

constexpr int kLayers = 8;
constexpr qint64 kHidden = 512;
constexpr qint64 kIntermediate = 1408;
constexpr qint64 kVocabulary = 4096;
constexpr double kSigma = 0.02;
constexpr double kOutlierShare = 0.004;  // seed 002: w[rng.random(n) < 0.004] *= 6
constexpr double kOutlierFactor = 6.0;
constexpr double kEmbeddingSigma = 0.05;
// Input channels (columns of the matrices reading the residual stream) that carry larger
// weights, as real models have a few hidden dimensions with systematically large magnitudes.
constexpr qint64 kOutlierChannels[] = {37, 211, 466};
constexpr double kOutlierChannelFactor = 4.0;

// splitmix64: a counter-based generator, so any element is computed independently.
std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

double unitInterval(std::uint64_t bits)  // (0, 1]
{
    return (double(bits >> 11) + 1.0) * 0x1p-53;
}

enum class Kind { Embedding, Matrix, ResidualMatrix, Norm };

struct DemoTensor {
    TensorInfo info;
    Kind kind;
    std::uint64_t seed;
};

class DemoModel : public TensorSource {
public:
    DemoModel()
    {
        add(QStringLiteral("model.embed_tokens.weight"), {kVocabulary, kHidden}, Kind::Embedding);
        for (int layer = 0; layer < kLayers; ++layer) {
            const QString prefix = QStringLiteral("model.layers.%1.").arg(layer);
            add(prefix + QStringLiteral("input_layernorm.weight"), {kHidden}, Kind::Norm);
            for (const char* projection : {"q_proj", "k_proj", "v_proj"})
                add(prefix + QStringLiteral("self_attn.%1.weight").arg(QLatin1String(projection)), {kHidden, kHidden},
                    Kind::Matrix);
            add(prefix + QStringLiteral("self_attn.o_proj.weight"), {kHidden, kHidden}, Kind::ResidualMatrix);
            add(prefix + QStringLiteral("post_attention_layernorm.weight"), {kHidden}, Kind::Norm);
            add(prefix + QStringLiteral("mlp.gate_proj.weight"), {kIntermediate, kHidden}, Kind::Matrix);
            add(prefix + QStringLiteral("mlp.up_proj.weight"), {kIntermediate, kHidden}, Kind::Matrix);
            add(prefix + QStringLiteral("mlp.down_proj.weight"), {kHidden, kIntermediate}, Kind::ResidualMatrix);
        }
        add(QStringLiteral("model.norm.weight"), {kHidden}, Kind::Norm);
        add(QStringLiteral("lm_head.weight"), {kVocabulary, kHidden}, Kind::Matrix);
        for (const auto& tensor : tensors_)
            infos_.push_back(tensor.info);
    }

    QString displayName() const override { return QStringLiteral("Demo model"); }
    const std::vector<TensorInfo>& tensors() const override { return infos_; }

    std::vector<std::pair<QString, QString>> metadata() const override
    {
        return {{QStringLiteral("architecture"), QStringLiteral("llama-style decoder (built-in demo)")},
                {QStringLiteral("layers"), QString::number(kLayers)},
                {QStringLiteral("hidden size"), QString::number(kHidden)},
                {QStringLiteral("intermediate size"), QString::number(kIntermediate)},
                {QStringLiteral("vocabulary"), QString::number(kVocabulary)},
                {QStringLiteral("weights"), QStringLiteral("N(0, 0.02²), 0.4 % ×6 outliers, 3 outlier channels ×4")}};
    }

    Result<void> readFloats(int index, qint64 firstElement, std::span<float> out) const override
    {
        if (index < 0 || std::size_t(index) >= tensors_.size())
            return Error{displayName(), -1, QStringLiteral("there is no tensor number %1").arg(index)};
        const DemoTensor& tensor = tensors_[std::size_t(index)];
        const qint64 count = qint64(out.size());
        if (firstElement < 0 || count > tensor.info.elementCount || firstElement > tensor.info.elementCount - count)
            return Error{displayName(), -1, QStringLiteral("elements %1..%2 are outside tensor '%3'")
                                                .arg(firstElement).arg(firstElement + count).arg(tensor.info.name)};
        for (qint64 i = 0; i < count; ++i)
            out[std::size_t(i)] = value(tensor, firstElement + i);
        return {};
    }

private:
    void add(const QString& name, std::vector<qint64> shape, Kind kind)
    {
        DemoTensor tensor;
        tensor.info.name = name;
        tensor.info.elementCount = 1;
        for (qint64 dimension : shape)
            tensor.info.elementCount *= dimension;
        tensor.info.shape = std::move(shape);
        tensor.info.dtype = QStringLiteral("F32");
        tensor.info.byteSize = tensor.info.elementCount * 4;
        tensor.info.decodable = true;
        annotateFromName(tensor.info);
        tensor.kind = kind;
        tensor.seed = mix(0xc0ffee00ull + tensors_.size());
        tensors_.push_back(std::move(tensor));
    }

    static float value(const DemoTensor& tensor, qint64 element)
    {
        const std::uint64_t a = mix(tensor.seed ^ (std::uint64_t(element) * 2));
        const std::uint64_t b = mix(tensor.seed ^ (std::uint64_t(element) * 2 + 1));
        // Box-Muller: one standard normal from two uniforms.
        const double normal = std::sqrt(-2.0 * std::log(unitInterval(a))) * std::cos(2.0 * std::numbers::pi * unitInterval(b));
        const bool outlier = unitInterval(mix(a ^ b)) <= kOutlierShare;
        const double outlierScale = outlier ? kOutlierFactor : 1.0;
        switch (tensor.kind) {
        case Kind::Embedding:
            return float(kEmbeddingSigma * normal * outlierScale);
        case Kind::Norm: {
            double scale = 1.0 + 0.05 * normal;
            for (qint64 channel : kOutlierChannels)
                if (element == channel)
                    scale *= 2.5;
            return float(scale);
        }
        case Kind::Matrix:
        case Kind::ResidualMatrix: {
            const qint64 column = element % tensor.info.rowLength();
            double sigma = tensor.kind == Kind::ResidualMatrix ? kSigma * 0.75 : kSigma;
            if (tensor.kind == Kind::Matrix && tensor.info.rowLength() == kHidden)
                for (qint64 channel : kOutlierChannels)
                    if (column == channel)
                        sigma *= kOutlierChannelFactor;
            return float(sigma * normal * outlierScale);
        }
        }
        return 0.0f;
    }

    std::vector<DemoTensor> tensors_;
    std::vector<TensorInfo> infos_;
};

}  // namespace

std::shared_ptr<TensorSource> makeDemoModel()
{
    return std::make_shared<DemoModel>();
}

}  // namespace cstudio
