#include "widgets/QrDecoder.h"

#include <QCoreApplication>
#include <QImageReader>

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

namespace uw::ui {

Result<QString> decodeQr(const QImage& image)
{
    if (image.isNull())
        return makeError(QStringLiteral("no_image"),
                         QCoreApplication::translate("uw::ui::QrDecoder", "The image could not be read."));
    const QImage gray = image.convertToFormat(QImage::Format_Grayscale8);
    ZXing::ImageView view(gray.constBits(), gray.width(), gray.height(), ZXing::ImageFormat::Lum,
                          int(gray.bytesPerLine()));
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    hints.setTryHarder(true);
    const ZXing::Result result = ZXing::ReadBarcode(view, hints);
    if (!result.isValid())
        return makeError(QStringLiteral("no_qr"),
                         QCoreApplication::translate("uw::ui::QrDecoder", "No QR code was found in the image."));
    return QString::fromStdString(result.text());
}

Result<QString> decodeQrFile(const QString& path)
{
    QImageReader reader(path);
    reader.setAllocationLimit(256); // MB: a hostile image cannot exhaust memory
    return decodeQr(reader.read());
}

} // namespace uw::ui
