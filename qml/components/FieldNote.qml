import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// A supervisor reviewing a submitted 124D attaches a QA note to one field: "Note" opens a box
// for it; the note joins the notes for the officer as "field.path: note" (sent with a return)
// and shows under the field meanwhile. The officer then sees it beside the same field.
ColumnLayout {
    id: root

    property string fieldPath: ""
    property string label: ""
    readonly property IncidentEditor editor: Draft.editor
    readonly property string draft: editor.reviewable && editor.qaDraft !== "" ? editor.draftNoteFor(fieldPath) : ""

    visible: editor.reviewable && fieldPath !== ""
    spacing: 4
    Layout.fillWidth: true

    // On the left, under the field: the live risk panel may lie over the right of the form.
    RowLayout {
        Layout.fillWidth: true
        spacing: 8
        Button {
            objectName: "fieldNoteButton"
            text: root.draft === "" ? qsTr("Note for the officer") : qsTr("Change note")
            flat: true
            implicitHeight: 44
            Accessible.name: qsTr("Write a note for the officer on %1").arg(root.label)
            onClicked: {
                noteText.text = root.draft
                notePopup.open()
                noteText.forceActiveFocus()
            }
        }
        Label {
            objectName: "fieldNoteDraft"
            visible: root.draft !== ""
            text: qsTr("Your note for the officer: %1").arg(root.draft)
            color: Theme.medium
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }
    Popup {
        id: notePopup
        objectName: "fieldNotePopup"
        modal: true
        focus: true
        width: Math.min(560, (root.Window.window ? root.Window.window.width : 600) - 2 * Theme.gap)
        ColumnLayout {
            anchors.fill: parent
            spacing: Theme.gap
            Label {
                text: qsTr("Note for the officer on \\u201c%1\\u201d").arg(root.label)
                font.bold: true
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            PrivateTextField {
                id: noteText
                objectName: "fieldNoteText"
                readonly property bool savedWithRecord: false  // sent with the return, not a field of the 124D
                placeholderText: qsTr("What to put right here")
                implicitHeight: Theme.touch
                Layout.fillWidth: true
                Accessible.name: qsTr("Note for the officer")
                onAccepted: addButton.clicked()
            }
            RowLayout {
                spacing: Theme.gap
                Button {
                    id: addButton
                    objectName: "fieldNoteAdd"
                    text: qsTr("Add to my notes")
                    highlighted: true
                    enabled: noteText.text.trim() !== ""
                    implicitHeight: Theme.touch
                    onClicked: {
                        root.editor.addFieldNote(root.fieldPath, noteText.text)
                        notePopup.close()
                    }
                }
                Button {
                    objectName: "fieldNoteRemove"
                    text: qsTr("Remove the note")
                    visible: root.draft !== ""
                    implicitHeight: Theme.touch
                    onClicked: {
                        root.editor.addFieldNote(root.fieldPath, "")
                        notePopup.close()
                    }
                }
                Button {
                    text: qsTr("Cancel")
                    flat: true
                    implicitHeight: Theme.touch
                    onClicked: notePopup.close()
                }
            }
        }
    }
}
