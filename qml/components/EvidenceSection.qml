import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Vigil

// Evidence gathered at the scene, and photos of injuries and the scene: taken with the
// tablet's camera (CameraCapture, shown when the device has a camera Vigil can use) or chosen
// from a file (always offered). Either way the photo is stored encrypted inside Vigil with EXIF
// and location removed, through the same path; a camera photo never touches disk on the way.
// The caption field is shared: it goes with the next photo, whichever way it comes. Thumbnails
// are made in memory.
WizardSection {
    id: root

    title: qsTr("Evidence")
    section: IncidentEditor.EvidenceSection

    ChoiceField { fieldPath: "evidence.first_account"; label: qsTr("First account taken") }
    ChoiceField { fieldPath: "evidence.statement"; label: qsTr("Statement taken") }
    ChoiceField { fieldPath: "evidence.photos_injuries"; label: qsTr("Photographs of injuries") }
    ChoiceField { fieldPath: "evidence.photos_scene"; label: qsTr("Photographs of the scene") }
    ChoiceField { fieldPath: "evidence.early_evidence_kit"; label: qsTr("Early evidence kit used") }
    ChoiceField { fieldPath: "evidence.body_worn_video"; label: qsTr("Body-worn video") }
    ChoiceField { fieldPath: "evidence.medical_consent"; label: qsTr("Consent to medical evidence") }
    ChoiceField { fieldPath: "evidence.tape_999"; label: qsTr("999 tape requested") }
    WizardField { fieldPath: "evidence.notes"; label: qsTr("Evidence notes"); multiline: true }

    SectionHeading { text: qsTr("Photos") }
    Label {
        objectName: "photoHelp"
        text: cameraCapture.available
              ? qsTr("Photos are kept encrypted inside Vigil; location and camera details are removed. Take a photo with the camera, or add one from a file.")
              : qsTr("Photos are kept encrypted inside Vigil; location and camera details are removed. This device has no camera Vigil can use: add photos from a file.")
        wrapMode: Text.Wrap
        color: Theme.muted
        Layout.fillWidth: true
    }
    RowLayout {
        visible: editor.editable
        Layout.fillWidth: true
        spacing: Theme.gap
        PrivateTextField {
            id: captionField
            objectName: "photoCaptionField"
            /// Kept with the next photo, not with the 124D.
            readonly property bool savedWithRecord: false
            placeholderText: qsTr("Caption, e.g. bruise on left forearm")
            implicitHeight: Theme.touch
            Layout.fillWidth: true
            Accessible.name: qsTr("Caption for the next photo")
        }
        Button {
            objectName: "addPhotoButton"
            text: qsTr("Add photo from file")
            implicitHeight: Theme.touch
            Accessible.name: text
            onClicked: fileDialog.open()
        }
    }
    CameraCapture {
        id: cameraCapture
        objectName: "cameraCapture"
        visible: cameraCapture.available && root.editor.editable
        editor: root.editor
        caption: captionField.text
        Layout.fillWidth: true
        onCaptionUsed: captionField.text = ""
    }
    MessageBanner {
        objectName: "editorMessage"
        text: editor.message
        Layout.fillWidth: true
    }
    Label {
        visible: editor.attachments.count === 0
        text: qsTr("No photos yet.")
        color: Theme.muted
    }
    Flow {
        Layout.fillWidth: true
        spacing: Theme.gap
        Repeater {
            objectName: "photoList"
            model: editor.attachments
            Frame {
                required property string attachmentId
                required property string caption
                required property string sizeLabel
                required property string thumbnail
                width: 260
                ColumnLayout {
                    anchors.fill: parent
                    Image {
                        source: thumbnail
                        sourceSize.width: 240
                        fillMode: Image.PreserveAspectFit
                        cache: false
                        Layout.preferredWidth: 240
                        Layout.preferredHeight: 180
                        Accessible.role: Accessible.Graphic
                        Accessible.name: caption === "" ? qsTr("Photo") : caption
                    }
                    Label { text: caption === "" ? qsTr("(no caption)") : caption; wrapMode: Text.Wrap; Layout.fillWidth: true }
                    Label { text: sizeLabel; color: Theme.muted; font.pixelSize: Theme.fontSmall }
                    Button {
                        visible: editor.editable
                        text: qsTr("Remove photo")
                        implicitHeight: Theme.touch
                        Accessible.name: qsTr("Remove photo %1").arg(caption)
                        onClicked: editor.removePhoto(attachmentId)
                    }
                }
            }
        }
    }
    Item { implicitHeight: Theme.gap }

    FileDialog {
        id: fileDialog
        title: qsTr("Choose a photo")
        nameFilters: [qsTr("Photos (*.jpg *.jpeg *.png)")]
        onAccepted: {
            editor.addPhoto(selectedFile, captionField.text)
            captionField.text = ""
        }
    }
}
