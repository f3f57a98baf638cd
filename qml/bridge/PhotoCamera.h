#pragma once

#include <map>
#include <memory>

#include <QImage>
#include <QObject>
#include <QPointer>
#include <QString>
#include <qqmlintegration.h>

#include "IncidentEditor.h"

class QCamera;
class QCameraDevice;
class QImageCapture;
class QMediaCaptureSession;
class QMediaDevices;

namespace vigil::app {

/// The tablet's camera for photos of injuries and the scene: a live preview (QML's
/// VideoOutput) and a still taken into memory, never to a file. The frame goes to the open
/// 124D (IncidentEditor::addCapturedPhoto), which stores it exactly as a photo from a file:
/// metadata removed by the core's sanitiser, encrypted in the store. The camera runs only
/// while `active` (the officer asked for it and the section is on screen); a device without a
/// camera Vigil can drive says so in `available`, and photos then come from a file.
class PhotoCamera : public QObject {  // not final: QML_ELEMENT derives from it
    Q_OBJECT
    QML_ELEMENT

    /// A camera is connected (updates as cameras come and go).
    Q_PROPERTY(bool available READ available NOTIFY availableChanged)
    /// The camera is running (preview showing). Set false to release it.
    Q_PROPERTY(bool active READ active WRITE setActive NOTIFY activeChanged)
    /// A photo can be taken now (the camera is running and not busy with the last one).
    Q_PROPERTY(bool readyForCapture READ readyForCapture NOTIFY readyForCaptureChanged)
    /// Photos taken whose picture has not reached the 124D yet.
    Q_PROPERTY(int pending READ pending NOTIFY pendingChanged)
    /// Why the camera cannot start or the last photo was not taken, in words that say what to
    /// do instead; "" when all is well.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    /// The camera's name, for the screen ("" when none).
    Q_PROPERTY(QString description READ description NOTIFY availableChanged)
    /// Where the preview shows: a QML VideoOutput (or anything with a videoSink).
    Q_PROPERTY(QObject* videoOutput READ videoOutput WRITE setVideoOutput NOTIFY videoOutputChanged)
    /// The open 124D the photos go to.
    Q_PROPERTY(IncidentEditor* editor READ editor WRITE setEditor NOTIFY editorChanged)

public:
    explicit PhotoCamera(QObject* parent = nullptr);
    ~PhotoCamera() override;

    /// Take a photo for the open 124D with this caption. False (and `error` says why) when no
    /// photo could be asked for; the picture itself arrives a moment later.
    Q_INVOKABLE bool capture(const QString& caption);

    [[nodiscard]] bool available() const { return m_available; }
    [[nodiscard]] bool active() const;
    void setActive(bool active);
    [[nodiscard]] bool readyForCapture() const;
    [[nodiscard]] int pending() const { return static_cast<int>(m_pending.size()); }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] QString description() const { return m_description; }
    [[nodiscard]] QObject* videoOutput() const { return m_videoOutput; }
    void setVideoOutput(QObject* output);
    [[nodiscard]] IncidentEditor* editor() const { return m_editor; }
    void setEditor(IncidentEditor* editor);

signals:
    void availableChanged();
    void activeChanged();
    void readyForCaptureChanged();
    void pendingChanged();
    void errorChanged();
    void videoOutputChanged();
    void editorChanged();
    /// A photo's picture was handed to the 124D (it is being stored).
    void photoTaken();

private:
    /// A photo asked for: its caption, and the 124D open when it was asked for.
    struct Request {
        QString caption;
        QString incidentId;
    };

    void devicesChanged();
    /// The capture session and still capture, made when first needed: on a device without a
    /// camera nothing of the media stack starts.
    void ensureSession();
    void frameCaptured(int id, const QImage& image);
    void setError(const QString& error);
    void stop();

    std::unique_ptr<QMediaDevices> m_devices;
    std::unique_ptr<QMediaCaptureSession> m_session;
    std::unique_ptr<QImageCapture> m_imageCapture;
    std::unique_ptr<QCamera> m_camera;
    QPointer<QObject> m_videoOutput;
    QPointer<IncidentEditor> m_editor;
    std::map<int, Request> m_pending;
    bool m_available = false;
    QString m_description;
    QString m_error;
};

}  // namespace vigil::app
