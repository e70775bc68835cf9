#pragma once

#include <QLocalServer>
#include <QObject>
#include <QStringList>

/// One window per profile: a second launch (for example by the browser opening a
/// userwallet:// link) hands its links to the running instance and exits.
class SingleInstance : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)
public:
    explicit SingleInstance(const QString& key, QObject* parent = nullptr);

    /// True when another instance took the links; this process should exit.
    bool handOver(const QStringList& links);
    /// Becomes the instance that receives links.
    void listen();

Q_SIGNALS:
    void linkReceived(const QString& link);

private:
    QString m_name;
    QLocalServer m_server;
};
