#include "PhotoCamera.h"

#include <QCamera>
#include <QCameraDevice>
#include <QCameraFormat>
#include <QImageCapture>
#include <QMediaCaptureSession>
#include <QMediaDevices>

namespace vigil::app {

namespace {

/// The camera to use: the one facing away from the screen (injuries, the scene), else the
/// system's default, else the first.
QCameraDevice chooseDevice(const QList<QCameraDevice>& devices)
{
    for (const QCameraDevice& device : devices) {
        if (device.position() == QCameraDevice::BackFace)
            return device;
    }
    const QCameraDevice preferred = QMediaDevices::defaultVideoInput();
    if (!preferred.isNull() && devices.contains(preferred))
        return preferred;
    return devices.value(0);
}

/// The largest picture the camera gives at a frame rate a preview can live with; the largest
/// at any rate when none does. An evidence photo wants every pixel the camera has.
QCameraFormat chooseFormat(const QCameraDevice& device)
{
    constexpr float kMinPreviewFps = 10.0F;
    QCameraFormat best;
    QCameraFormat bestAnyRate;
    const auto area = [](const QCameraFormat& f) {
        return static_cast<qint64>(f.resolution().width()) * f.resolution().height();
    };
    for (const QCameraFormat& format : device.videoFormats()) {
        if (bestAnyRate.isNull() || area(format) > area(bestAnyRate))
            bestAnyRate = format;
        if (format.maxFrameRate() >= kMinPreviewFps && (best.isNull() || area(format) > area(best)))
            best = format;
    }
    return best.isNull() ? bestAnyRate : best;
}

}  // namespace

PhotoCamera::PhotoCamera(QObject* parent) : QObject(parent), m_devices(std::make_unique<QMediaDevices>())
{
    connect(m_devices.get(), &QMediaDevices::videoInputsChanged, this, &PhotoCamera::devicesChanged);
    devicesChanged();
}

PhotoCamera::~PhotoCamera()
{
    // Release the camera before the session it belongs to goes.
    stop();
    m_camera.reset();
}

bool PhotoCamera::active() const { return m_camera && m_camera->isActive(); }

bool PhotoCamera::readyForCapture() const
{
    return active() && m_imageCapture && m_imageCapture->isReadyForCapture();
}

void PhotoCamera::devicesChanged()
{
    const QList<QCameraDevice> devices = QMediaDevices::videoInputs();
    const bool available = !devices.isEmpty();
    const QString description = available ? chooseDevice(devices).description() : QString();
    if (m_camera && !devices.contains(m_camera->cameraDevice())) {
        // Unplugged (or taken by the system) while in use: let go of it; the next start picks
        // whatever camera is there then.
        const bool wasActive = active();
        stop();
        if (m_session)
            m_session->setCamera(nullptr);
        m_camera.reset();
        if (wasActive)
            setError(tr("The camera was disconnected. Connect it again, or add the photo from a file instead."));
        emit activeChanged();
        emit readyForCaptureChanged();
    }
    if (available != m_available || description != m_description) {
        m_available = available;
        m_description = description;
        emit availableChanged();
    }
}

void PhotoCamera::ensureSession()
{
    if (m_session)
        return;
    m_session = std::make_unique<QMediaCaptureSession>();
    m_imageCapture = std::make_unique<QImageCapture>();
    m_session->setImageCapture(m_imageCapture.get());
    if (m_videoOutput)
        m_session->setVideoOutput(m_videoOutput.data());
    connect(m_imageCapture.get(), &QImageCapture::readyForCaptureChanged, this, &PhotoCamera::readyForCaptureChanged);
    // imageCaptured carries the picture in memory. Nothing here ever calls captureToFile():
    // a file in Pictures would be a photo of an injury in the clear on the device.
    connect(m_imageCapture.get(), &QImageCapture::imageCaptured, this, &PhotoCamera::frameCaptured);
    connect(m_imageCapture.get(), &QImageCapture::errorOccurred, this,
            [this](int id, QImageCapture::Error, const QString& text) {
                if (m_pending.erase(id) > 0)
                    emit pendingChanged();
                setError(tr("The photo was not taken: %1. Try again, or add the photo from a file instead.").arg(text));
            });
}

void PhotoCamera::setActive(bool active)
{
    if (active == this->active())
        return;
    if (!active) {
        stop();
        return;
    }
    const QList<QCameraDevice> devices = QMediaDevices::videoInputs();
    if (devices.isEmpty()) {
        setError(tr("The camera could not start: this device has no camera Vigil can use. Add the photo from a file "
                    "instead."));
        return;
    }
    ensureSession();
    if (!m_imageCapture->isAvailable()) {
        setError(tr("The camera could not start: this device lacks the software Vigil needs to take photos (%1). "
                    "Add the photo from a file instead.")
                     .arg(m_imageCapture->errorString().isEmpty() ? tr("no still capture")
                                                                  : m_imageCapture->errorString()));
        return;
    }
    if (!m_camera) {
        const QCameraDevice device = chooseDevice(devices);
        m_camera = std::make_unique<QCamera>(device);
        const QCameraFormat format = chooseFormat(device);
        if (!format.isNull())
            m_camera->setCameraFormat(format);
        connect(m_camera.get(), &QCamera::activeChanged, this, [this] {
            emit activeChanged();
            emit readyForCaptureChanged();
        });
        connect(m_camera.get(), &QCamera::errorOccurred, this, [this](QCamera::Error error, const QString& text) {
            if (error == QCamera::NoError)
                return;
            setError(tr("The camera could not start: %1. Add the photo from a file instead.")
                         .arg(text.isEmpty() ? tr("the camera did not answer") : text));
            stop();
        });
        m_session->setCamera(m_camera.get());
    }
    setError({});
    m_camera->start();
}

void PhotoCamera::stop()
{
    if (m_camera && m_camera->isActive())
        m_camera->stop();
}

bool PhotoCamera::capture(const QString& caption)
{
    if (!m_editor || !m_editor->editable()) {
        setError(tr("The photo was not taken: no 124D that can be changed is open."));
        return false;
    }
    if (!readyForCapture()) {
        setError(active() ? tr("The camera is not ready yet. Wait a moment and tap Take photo again.")
                          : tr("The camera is not running. Start the camera, or add the photo from a file instead."));
        return false;
    }
    const int id = m_imageCapture->capture();
    if (id < 0)
        return false;  // errorOccurred says why
    m_pending[id] = Request{caption, m_editor->incidentId()};
    setError({});
    emit pendingChanged();
    return true;
}

void PhotoCamera::frameCaptured(int id, const QImage& image)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return;
    const Request request = it->second;
    m_pending.erase(it);
    emit pendingChanged();
    if (!m_editor || !m_editor->editable() || m_editor->incidentId() != request.incidentId) {
        setError(tr("The photo was not kept: its 124D was closed before the camera delivered it. Open the 124D and "
                    "take the photo again."));
        return;
    }
    m_editor->addCapturedPhoto(image, request.caption);
    emit photoTaken();
}

void PhotoCamera::setError(const QString& error)
{
    if (error == m_error)
        return;
    m_error = error;
    emit errorChanged();
}

void PhotoCamera::setVideoOutput(QObject* output)
{
    if (output == m_videoOutput)
        return;
    m_videoOutput = output;
    if (m_session)
        m_session->setVideoOutput(output);
    emit videoOutputChanged();
}

void PhotoCamera::setEditor(IncidentEditor* editor)
{
    if (editor == m_editor)
        return;
    if (m_editor)
        disconnect(m_editor, nullptr, this, nullptr);
    m_editor = editor;
    if (m_editor) {
        // A 124D closed, locked away or sent for review: the camera has nothing to work for.
        connect(m_editor, &IncidentEditor::openChanged, this, [this] {
            if (!m_editor->editable())
                stop();
        });
    }
    emit editorChanged();
}

}  // namespace vigil::app
