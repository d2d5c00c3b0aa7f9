#include "core/formats/npy_reader.h"

#include "core/formats/element_type.h"
#include "core/formats/tensor_naming.h"

#include <QFileInfo>
#include <cstring>

namespace cstudio {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr qint64 kMaxHeaderBytes = 1 << 20;  // numpy itself refuses headers over 10 kB by default
constexpr int kMaxRank = 32;                  // numpy's NPY_MAXDIMS

// A tiny reader for the one Python literal numpy writes: a dict of str keys whose values are
// str, bool or a tuple of ints.
class DictLiteral {
public:
    explicit DictLiteral(QString text) : text_(std::move(text)) {}

    QString descr;
    bool fortranOrder = false;
    std::vector<qint64> shape;
    bool hasDescr = false, hasFortran = false, hasShape = false;

    QString parse()
    {
        if (!take(QLatin1Char('{')))
            return QStringLiteral("the header is not a Python dict");
        while (true) {
            skipSpace();
            if (take(QLatin1Char('}')))
                return {};
            QString key;
            if (!readString(key))
                return QStringLiteral("expected a quoted key at header character %1").arg(pos_);
            if (!take(QLatin1Char(':')))
                return QStringLiteral("expected ':' after key '%1'").arg(key);
            QString error;
            if (key == QLatin1String("descr")) {
                if (!readString(descr))
                    return QStringLiteral("'descr' is not a simple dtype string (structured dtypes are not supported)");
                hasDescr = true;
            } else if (key == QLatin1String("fortran_order")) {
                if (!readBool(fortranOrder))
                    return QStringLiteral("'fortran_order' is not True or False");
                hasFortran = true;
            } else if (key == QLatin1String("shape")) {
                error = readShape();
                if (!error.isEmpty())
                    return error;
                hasShape = true;
            } else {
                return QStringLiteral("unexpected key '%1' in the header").arg(key);
            }
            skipSpace();
            if (take(QLatin1Char(',')))
                continue;
            if (take(QLatin1Char('}')))
                return {};
            return QStringLiteral("expected ',' or '}' at header character %1").arg(pos_);
        }
    }

private:
    void skipSpace()
    {
        while (pos_ < text_.size() && text_[pos_].isSpace())
            ++pos_;
    }
    bool take(QChar c)
    {
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    bool readString(QString& out)
    {
        skipSpace();
        if (pos_ >= text_.size() || (text_[pos_] != QLatin1Char('\'') && text_[pos_] != QLatin1Char('"')))
            return false;
        const QChar quote = text_[pos_++];
        const qsizetype end = text_.indexOf(quote, pos_);
        if (end < 0)
            return false;
        out = text_.mid(pos_, end - pos_);
        pos_ = end + 1;
        return true;
    }
    bool readBool(bool& out)
    {
        skipSpace();
        for (const auto& [word, value] : {std::pair{QLatin1String("True"), true}, std::pair{QLatin1String("False"), false}}) {
            if (QStringView(text_).mid(pos_).startsWith(word)) {
                pos_ += word.size();
                out = value;
                return true;
            }
        }
        return false;
    }
    QString readShape()
    {
        if (!take(QLatin1Char('(')))
            return QStringLiteral("'shape' is not a tuple");
        while (true) {
            if (take(QLatin1Char(')')))
                return {};
            skipSpace();
            qsizetype start = pos_;
            while (pos_ < text_.size() && text_[pos_].isDigit())
                ++pos_;
            if (pos_ == start)
                return QStringLiteral("'shape' holds something other than non-negative integers");
            bool ok = false;
            const qint64 dimension = QStringView(text_).mid(start, pos_ - start).toLongLong(&ok);
            if (!ok)
                return QStringLiteral("shape dimension %1 is too large").arg(text_.mid(start, pos_ - start));
            if (pos_ < text_.size() && text_[pos_] == QLatin1Char('L'))  // Python 2 long literal
                ++pos_;
            shape.push_back(dimension);
            if (shape.size() > std::size_t(kMaxRank))
                return QStringLiteral("'shape' has more than %1 dimensions").arg(kMaxRank);
            if (!take(QLatin1Char(',')) && !(skipSpace(), pos_ < text_.size() && text_[pos_] == QLatin1Char(')')))
                return QStringLiteral("'shape' is not a well-formed tuple");
        }
    }

    QString text_;
    qsizetype pos_ = 0;
};

struct NpyDtype {
    std::optional<ElementType> type;  // nullopt: listed, not decoded
    bool bigEndian = false;
    int itemBytes = 0;
};

std::optional<NpyDtype> parseDescr(const QString& descr)
{
    if (descr.size() < 2)
        return std::nullopt;
    const QChar order = descr[0];
    if (order != QLatin1Char('<') && order != QLatin1Char('>') && order != QLatin1Char('|') && order != QLatin1Char('='))
        return std::nullopt;
    const QChar kind = descr[1];
    bool ok = false;
    const int bytes = descr.mid(2).toInt(&ok);
    if (!ok || bytes <= 0 || bytes > (1 << 20))
        return std::nullopt;
    NpyDtype dtype;
    dtype.bigEndian = order == QLatin1Char('>');
    dtype.itemBytes = bytes;
    static const struct { char kind; int bytes; ElementType type; } known[] = {
        {'f', 2, ElementType::F16}, {'f', 4, ElementType::F32}, {'f', 8, ElementType::F64},
        {'i', 1, ElementType::I8},  {'i', 2, ElementType::I16}, {'i', 4, ElementType::I32}, {'i', 8, ElementType::I64},
        {'u', 1, ElementType::U8},  {'u', 2, ElementType::U16}, {'u', 4, ElementType::U32}, {'u', 8, ElementType::U64},
        {'b', 1, ElementType::Bool},
    };
    for (const auto& row : known)
        if (kind == QLatin1Char(row.kind) && bytes == row.bytes)
            dtype.type = row.type;
    return dtype;
}

}  // namespace

Result<StoredTensor> readNpyArray(const std::shared_ptr<const MappedFile>& file, qint64 offset, qint64 length,
                                  const QString& name)
{
    const QString& path = file->path();
    if (!file->contains(offset, length))
        return Error{path, offset, QStringLiteral("array '%1' lies outside the file").arg(name)};
    const unsigned char* bytes = file->data() + offset;
    if (length < 10 || std::memcmp(bytes, kMagic, 6) != 0)
        return Error{path, offset, QStringLiteral("not a NumPy .npy array (the magic string \\x93NUMPY is missing)")};
    const int major = bytes[6];
    qint64 headerLength = 0, headerStart = 0;
    if (major == 1) {
        headerLength = bytes[8] | (bytes[9] << 8);
        headerStart = 10;
    } else if (major == 2 || major == 3) {
        if (length < 12)
            return Error{path, offset, QStringLiteral("the file ends inside the .npy preamble")};
        headerLength = qint64(bytes[8]) | (qint64(bytes[9]) << 8) | (qint64(bytes[10]) << 16) | (qint64(bytes[11]) << 24);
        headerStart = 12;
    } else {
        return Error{path, offset + 6, QStringLiteral("unsupported .npy format version %1.%2").arg(major).arg(bytes[7])};
    }
    if (headerLength > kMaxHeaderBytes)
        return Error{path, offset + 8, QStringLiteral("header length %1 bytes is implausibly large").arg(headerLength)};
    if (headerLength > length - headerStart)
        return Error{path, offset + 8,
                     QStringLiteral("header length %1 runs past the end of the array data (%2 bytes)").arg(headerLength).arg(length)};
    const QByteArray headerBytes(reinterpret_cast<const char*>(bytes + headerStart), int(headerLength));
    // Version 1 and 2 headers are latin-1, version 3 UTF-8; only ASCII matters to us.
    DictLiteral dict(major == 3 ? QString::fromUtf8(headerBytes) : QString::fromLatin1(headerBytes));
    if (const QString problem = dict.parse(); !problem.isEmpty())
        return Error{path, offset + headerStart, QStringLiteral("bad .npy header: %1").arg(problem)};
    if (!dict.hasDescr || !dict.hasFortran || !dict.hasShape)
        return Error{path, offset + headerStart, QStringLiteral("bad .npy header: 'descr', 'fortran_order' or 'shape' is missing")};
    const auto dtype = parseDescr(dict.descr);
    if (!dtype)
        return Error{path, offset + headerStart, QStringLiteral("unknown dtype '%1'").arg(dict.descr)};

    StoredTensor tensor;
    tensor.info.name = name;
    tensor.info.shape = dict.shape;
    tensor.info.dtype = dict.descr;
    qint64 elements = 1;
    for (qint64 dimension : dict.shape)
        if (__builtin_mul_overflow(elements, dimension, &elements))
            return Error{path, offset + headerStart, QStringLiteral("shape is too large: the element count overflows")};
    qint64 byteSize = 0;
    if (__builtin_mul_overflow(elements, qint64(dtype->itemBytes), &byteSize))
        return Error{path, offset + headerStart, QStringLiteral("shape is too large: the byte size overflows")};
    const qint64 dataStart = headerStart + headerLength;
    if (byteSize > length - dataStart)
        return Error{path, offset + dataStart,
                     QStringLiteral("array '%1' needs %2 bytes of data but only %3 follow the header (truncated file?)")
                         .arg(name).arg(byteSize).arg(length - dataStart)};
    tensor.info.elementCount = elements;
    tensor.info.byteSize = byteSize;
    tensor.info.decodable = dtype->type.has_value();
    tensor.file = file;
    tensor.offset = offset + dataStart;
    tensor.fortranOrder = dict.fortranOrder && dict.shape.size() > 1;
    if (dtype->type) {
        tensor.encoding.blockElements = 1;
        tensor.encoding.blockBytes = dtype->itemBytes;
        tensor.encoding.toFloat = elementDecoder(*dtype->type, dtype->bigEndian && dtype->itemBytes > 1);
    }
    annotateFromName(tensor.info);
    return tensor;
}

Result<std::shared_ptr<TensorSource>> openNpy(const QString& path, const JobControl& job)
{
    job.report(0.0, QStringLiteral("Reading %1").arg(path));
    auto file = MappedFile::open(path);
    if (!file)
        return file.error();
    std::shared_ptr<const MappedFile> mapped = file.value();
    auto tensor = readNpyArray(mapped, 0, mapped->size(), QFileInfo(path).completeBaseName());
    if (!tensor)
        return tensor.error();
    std::vector<StoredTensor> tensors;
    tensors.push_back(std::move(tensor.value()));
    job.report(1.0, QStringLiteral("Read %1").arg(path));
    return std::shared_ptr<TensorSource>(std::make_shared<MappedTensorSource>(path, std::move(tensors)));
}

}  // namespace cstudio
