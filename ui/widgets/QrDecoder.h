#pragma once

#include "util/Result.h"

#include <QImage>

namespace uw::ui {

/// Reads the QR code in an image (ZXing-C++). Runs anywhere; callers keep it off the GUI thread.
Result<QString> decodeQr(const QImage& image);
Result<QString> decodeQrFile(const QString& path);

} // namespace uw::ui
