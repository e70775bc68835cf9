#pragma once

#include <QImage>
#include <QWidget>

namespace uw::ui {

/// A QR code (libqrencode) drawn module by module at whatever size the widget has, so it stays
/// crisp at any scale and DPI; a 4-module quiet zone, black on white whatever the theme.
class QrCodeWidget : public QWidget
{
    Q_OBJECT
public:
    explicit QrCodeWidget(QWidget* parent = nullptr);

    void setText(const QString& text);
    QString text() const { return m_text; }
    /// The code as an image of about `pixels` × `pixels` (whole pixels per module).
    QImage render(int pixels) const;
    QSize sizeHint() const override { return {240, 240}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int w) const override { return w; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void paint(QPainter& p, const QRectF& area) const;
    QString m_text;
    int m_size = 0;       ///< modules per side
    QByteArray m_modules; ///< m_size * m_size, 1 = dark
};

} // namespace uw::ui
