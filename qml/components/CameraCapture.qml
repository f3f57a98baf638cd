import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtMultimedia
import Vigil

// The tablet's camera in the Evidence section: the officer starts it, sees a live preview and
// takes a photo with one large button. The picture goes from memory to the open 124D, which
// stores it like a photo from a file (metadata removed, encrypted): nothing is written to disk
// on the way. The camera runs only while asked for and on screen, so its light is not on
// while the officer does something else.
ColumnLayout {
    id: root

    required property IncidentEditor editor
    /// The caption for the next photo: the section's caption field, shared with the file import.
    property string caption: ""
    /// A camera Vigil can use is connected (the section words its help on it).
    readonly property alias available: camera.available

    /// A photo was asked for with `caption`: the caption has gone with it.
    signal captionUsed()

    spacing: Theme.gap
    // Stop when the section leaves the screen (another section, a lock) or the 124D can no
    // longer be changed.
    onVisibleChanged: if (!visible) camera.active = false

    PhotoCamera {
        id: camera
        objectName: "photoCamera"
        editor: root.editor
        videoOutput: preview
    }

    Button {
        objectName: "cameraToggleButton"
        text: camera.active ? qsTr("Stop camera") : qsTr("Use camera")
        implicitHeight: Theme.touch
        Accessible.name: camera.active ? qsTr("Stop the camera") : qsTr("Start the camera to take a photo")
        onClicked: camera.active = !camera.active
    }
    VideoOutput {
        id: preview
        objectName: "cameraPreview"
        visible: camera.active
        fillMode: VideoOutput.PreserveAspectFit
        Layout.fillWidth: true
        Layout.preferredHeight: visible ? 360 : 0
        Accessible.role: Accessible.Animation
        Accessible.name: qsTr("Camera preview")
    }
    Button {
        objectName: "takePhotoButton"
        visible: camera.active
        enabled: camera.readyForCapture
        text: camera.pending > 0 ? qsTr("Taking photo…") : qsTr("Take photo")
        font.pixelSize: Theme.fontTitle
        implicitHeight: Theme.touch * 1.5
        Layout.fillWidth: true
        Accessible.name: root.caption === "" ? qsTr("Take photo") : qsTr("Take photo: %1").arg(root.caption)
        onClicked: {
            if (camera.capture(root.caption))
                root.captionUsed()
        }
    }
    MessageBanner {
        objectName: "cameraMessage"
        text: camera.error
        Layout.fillWidth: true
    }
}
