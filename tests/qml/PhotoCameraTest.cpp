// PhotoCamera, the tablet's camera for evidence photos, where there is no camera (CI, most
// desktops; Qt 6.4 offers no test camera): it says so, and refuses to start or take a photo
// in words that send the officer to the file import. A captured frame's way into the store is
// tested in IncidentEditorTest.cpp, from a frame the test makes.
#include <catch2/catch.hpp>

#include <QCameraDevice>
#include <QMediaDevices>
#include <QSignalSpy>

#include "bridge/PhotoCamera.h"

using vigil::app::PhotoCamera;

TEST_CASE("Without a camera the photo camera is not available and sends the officer to a file", "[app][camera]")
{
    if (!QMediaDevices::videoInputs().isEmpty()) {
        WARN("This machine has a camera: the behaviour without one is not checked here.");
        return;
    }
    PhotoCamera camera;
    CHECK_FALSE(camera.available());
    CHECK(camera.description().isEmpty());

    QSignalSpy activeChanged(&camera, &PhotoCamera::activeChanged);
    camera.setActive(true);
    CHECK_FALSE(camera.active());
    CHECK(activeChanged.isEmpty());
    CHECK(camera.error()
          == QLatin1String("The camera could not start: this device has no camera Vigil can use. Add the photo from a "
                           "file instead."));
    CHECK_FALSE(camera.readyForCapture());
}

TEST_CASE("The photo camera takes no photo without an open 124D that can be changed", "[app][camera]")
{
    PhotoCamera camera;
    CHECK_FALSE(camera.capture(QStringLiteral("bruise on left forearm")));
    CHECK(camera.pending() == 0);
    CHECK(camera.error().contains(QLatin1String("no 124D that can be changed is open")));
}
