#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace uw::ui {

class ChecklistModel;

/// After a first run (create, join or restore): what is left to make this device useful, each
/// item ticked when it is done and following what happens: the relays reached (n of m, with a
/// retry), a second device to pair when the member needs two to log in, a backup of the profile.
/// The Help menu brings it back.
class ChecklistScreen : public QWidget
{
    Q_OBJECT
public:
    explicit ChecklistScreen(ChecklistModel* model, QWidget* parent = nullptr);

Q_SIGNALS:
    void pairingRequested();  ///< the Devices page, to pair another device
    void settingsRequested(); ///< the Settings page: relays, and the export of a backup
    void finished();          ///< on to the wallet

private:
    struct Item
    {
        QLabel* mark;
        QLabel* text;
        QPushButton* action;
    };
    Item addItem(const char* name, const QString& actionText, const QString& actionName);
    void refresh();
    void setItem(const Item& item, bool done, const QString& text);

    ChecklistModel* m_model;
    QWidget* m_items;
    Item m_relays;
    Item m_devices;
    Item m_backup;
};

} // namespace uw::ui
