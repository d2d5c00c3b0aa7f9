// Decoding fp16, bf16 and the two fp8 formats is exact: spot values from the IEEE 754 and OCP
// FP8 specifications, every special class, and all 65536 fp16 codes round-tripped through the
// compiler's own _Float16 where available.
#include "core/dtypes/float_decode.h"

#include <QTest>
#include <cstring>
#include <cmath>
#include <limits>

using namespace cstudio;

class TestFloatDecode : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void float16NormalsSubnormalsAndSpecials()
    {
        QCOMPARE(decodeFloat16(0x3c00), 1.0f);
        QCOMPARE(decodeFloat16(0xc000), -2.0f);
        QCOMPARE(decodeFloat16(0x7bff), 65504.0f);            // largest finite
        QCOMPARE(decodeFloat16(0x0400), std::ldexp(1.0f, -14));  // smallest normal
        QCOMPARE(decodeFloat16(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
        QCOMPARE(decodeFloat16(0x03ff), 1023.0f * std::ldexp(1.0f, -24));
        QCOMPARE(decodeFloat16(0x3555), 0.333251953125f);
        QVERIFY(std::signbit(decodeFloat16(0x8000)) && decodeFloat16(0x8000) == 0.0f);
        QCOMPARE(decodeFloat16(0x7c00), std::numeric_limits<float>::infinity());
        QCOMPARE(decodeFloat16(0xfc00), -std::numeric_limits<float>::infinity());
        QVERIFY(std::isnan(decodeFloat16(0x7e00)));
        QVERIFY(std::isnan(decodeFloat16(0x7c01)));
    }

    void float16AllCodesAgreeWithTheCompiler()
    {
#if defined(__FLT16_MAX__)
        for (unsigned code = 0; code < 65536; ++code) {
            _Float16 half;
            const std::uint16_t bits = std::uint16_t(code);
            std::memcpy(&half, &bits, 2);
            const float expected = float(half);
            const float decoded = decodeFloat16(bits);
            if (std::isnan(expected))
                QVERIFY2(std::isnan(decoded), qPrintable(QString::number(code, 16)));
            else
                QVERIFY2(std::bit_cast<std::uint32_t>(decoded) == std::bit_cast<std::uint32_t>(expected),
                         qPrintable(QString::number(code, 16)));
        }
#else
        QSKIP("this compiler has no _Float16");
#endif
    }

    void bfloat16IsTheTopHalfOfFloat32()
    {
        QCOMPARE(decodeBFloat16(0x3f80), 1.0f);
        QCOMPARE(decodeBFloat16(0x4049), 3.140625f);
        QCOMPARE(decodeBFloat16(0xc2f7), -123.5f);
        QCOMPARE(decodeBFloat16(0x0001), std::bit_cast<float>(0x00010000u));  // subnormal
        QCOMPARE(decodeBFloat16(0x7f80), std::numeric_limits<float>::infinity());
        QVERIFY(std::isnan(decodeBFloat16(0x7fc0)));
    }

    void float8E4M3FnHasNoInfinityAndMax448()
    {
        QCOMPARE(decodeFloat8E4M3Fn(0x38), 1.0f);
        QCOMPARE(decodeFloat8E4M3Fn(0x7e), 448.0f);   // S.1111.110: largest finite
        QCOMPARE(decodeFloat8E4M3Fn(0xfe), -448.0f);
        QCOMPARE(decodeFloat8E4M3Fn(0x08), std::ldexp(1.0f, -6));  // smallest normal
        QCOMPARE(decodeFloat8E4M3Fn(0x01), std::ldexp(1.0f, -9));  // smallest subnormal
        QCOMPARE(decodeFloat8E4M3Fn(0x07), 7.0f * std::ldexp(1.0f, -9));
        QCOMPARE(decodeFloat8E4M3Fn(0x78), 256.0f);  // S.1111.000 is a number, not infinity
        QVERIFY(std::isnan(decodeFloat8E4M3Fn(0x7f)));
        QVERIFY(std::isnan(decodeFloat8E4M3Fn(0xff)));
        QVERIFY(std::signbit(decodeFloat8E4M3Fn(0x80)));
        int nans = 0;
        for (unsigned code = 0; code < 256; ++code)
            nans += std::isnan(decodeFloat8E4M3Fn(std::uint8_t(code))) ? 1 : 0;
        QCOMPARE(nans, 2);
    }

    void float8E5M2IsIeeeLike()
    {
        QCOMPARE(decodeFloat8E5M2(0x3c), 1.0f);
        QCOMPARE(decodeFloat8E5M2(0x7b), 57344.0f);  // largest finite
        QCOMPARE(decodeFloat8E5M2(0x01), std::ldexp(1.0f, -16));
        QCOMPARE(decodeFloat8E5M2(0x7c), std::numeric_limits<float>::infinity());
        QCOMPARE(decodeFloat8E5M2(0xfc), -std::numeric_limits<float>::infinity());
        QVERIFY(std::isnan(decodeFloat8E5M2(0x7d)));
    }

    void arrayFormsMatchScalarForms()
    {
        std::uint8_t codes[256];
        for (unsigned i = 0; i < 256; ++i)
            codes[i] = std::uint8_t(i);
        float e4m3[256], e5m2[256];
        decodeFloat8E4M3Fn(std::span<const std::uint8_t>(codes, 256), e4m3);
        decodeFloat8E5M2(std::span<const std::uint8_t>(codes, 256), e5m2);
        for (unsigned i = 0; i < 256; ++i) {
            QCOMPARE(std::bit_cast<std::uint32_t>(e4m3[i]), std::bit_cast<std::uint32_t>(decodeFloat8E4M3Fn(codes[i])));
            QCOMPARE(std::bit_cast<std::uint32_t>(e5m2[i]), std::bit_cast<std::uint32_t>(decodeFloat8E5M2(codes[i])));
        }
    }
};

QTEST_APPLESS_MAIN(TestFloatDecode)
#include "test_float_decode.moc"
