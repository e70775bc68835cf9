#include "widgets/QrCodeWidget.h"

#include <QAccessibleWidget>
#include <QPainter>
#include <qrencode.h>

namespace uw::ui {

namespace {
constexpr int kQuietZone = 4;

/// A screen reader meets the code as a picture (not an empty pane) named "QR code", whose
/// description is the link it holds: the text alternative of the picture.
class QrCodeAccessible : public QAccessibleWidget
{
public:
    explicit QrCodeAccessible(QWidget* w) : QAccessibleWidget(w, QAccessible::Graphic) {}
};

QAccessibleInterface* qrCodeAccessibleFactory(const QString& className, QObject* object)
{
    if (className == QLatin1String(QrCodeWidget::staticMetaObject.className()) && object && object->isWidgetType())
        return new QrCodeAccessible(static_cast<QWidget*>(object));
    return nullptr;
}
} // namespace

QrCodeWidget::QrCodeWidget(QWidget* parent) : QWidget(parent)
{
    static const bool installed = [] {
        QAccessible::installFactory(qrCodeAccessibleFactory);
        return true;
    }();
    Q_UNUSED(installed);
    setMinimumSize(160, 160);
    //: Accessible name of a QR code picture; a screen reader reads the link it holds as its description.
    setAccessibleName(tr("QR code"));
}

void QrCodeWidget::setText(const QString& text)
{
    m_text = text;
    m_size = 0;
    m_modules.clear();
    if (!text.isEmpty()) {
        const QByteArray utf8 = text.toUtf8();
        if (QRcode* code = QRcode_encodeString8bit(utf8.constData(), 0, QR_ECLEVEL_M)) {
            m_size = code->width;
            m_modules.resize(qsizetype(m_size) * m_size);
            for (int i = 0; i < m_size * m_size; ++i)
                m_modules[i] = char(code->data[i] & 1);
            QRcode_free(code);
        }
    }
    // The text alternative: the link itself (the line edit beside the code shows it too).
    setAccessibleDescription(text);
    if (QAccessible::isActive()) {
        QAccessibleEvent event(this, QAccessible::DescriptionChanged);
        QAccessible::updateAccessibility(&event);
    }
    update();
}

void QrCodeWidget::paint(QPainter& p, const QRectF& area) const
{
    p.fillRect(area, Qt::white);
    if (m_size == 0)
        return;
    const int total = m_size + 2 * kQuietZone;
    // Whole device pixels per module: no blurred edges, whatever the scale.
    const qreal side = std::min(area.width(), area.height());
    const qreal module = std::max<qreal>(1.0, std::floor(side / total));
    const qreal offsetX = area.x() + (area.width() - module * total) / 2 + module * kQuietZone;
    const qreal offsetY = area.y() + (area.height() - module * total) / 2 + module * kQuietZone;
    p.setPen(Qt::NoPen);
    p.setBrush(Qt::black);
    for (int y = 0; y < m_size; ++y)
        for (int x = 0; x < m_size; ++x)
            if (m_modules[y * m_size + x])
                p.drawRect(QRectF(std::round(offsetX + x * module), std::round(offsetY + y * module), module, module));
}

void QrCodeWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    paint(p, rect());
}

QImage QrCodeWidget::render(int pixels) const
{
    QImage img(pixels, pixels, QImage::Format_RGB32);
    QPainter p(&img);
    paint(p, QRectF(0, 0, pixels, pixels));
    return img;
}

} // namespace uw::ui
