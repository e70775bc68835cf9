#pragma once

#include <QWidget>

namespace uw::ui {

/// What UserWallet is, its version, and the libraries it stands on.
class AboutScreen : public QWidget
{
    Q_OBJECT
public:
    explicit AboutScreen(QWidget* parent = nullptr);
};

} // namespace uw::ui
