import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// A labelled text field bound to one field path of the open 124D. Typed text is shown at
// once and saved within a second. A supervisor's QA note naming this field shows beside
// it; a problem found at submission is marked.
ColumnLayout {
    id: root

    property string fieldPath: ""
    /// objectName of the text input itself (tests and the screenshot mode find it by this)
    property string inputName: ""
    property string label: ""
    property string placeholder: ""
    property string help: ""
    property bool multiline: false
    /// Whether the user may change this field: the 124D's own rule, unless a field has one of its own.
    property bool writable: editor.editable
    property alias input: loader.item
    readonly property IncidentEditor editor: Draft.editor
    readonly property string qaNote: editor.revision >= 0 && editor.reviewNote !== "" ? editor.noteFor(fieldPath) : ""
    readonly property bool hasProblem: editor.problems.count > 0 && editor.problems.hasField(fieldPath)

    function focusInput() {
        loader.item.forceActiveFocus()
    }

    spacing: 4
    Layout.fillWidth: true

    Label {
        text: root.label
        font.bold: true
        color: root.hasProblem ? Theme.warning : palette.windowText
        Layout.fillWidth: true
        wrapMode: Text.Wrap
    }
    Loader {
        id: loader
        Layout.fillWidth: true
        sourceComponent: root.multiline ? area : line
    }
    // Words on what looks wrong in a field of known format (a date of birth, a phone number,
    // a postcode, a date), once the officer has left it. The line is kept even when empty, so
    // nothing below moves when the words appear as the next field is tapped.
    Label {
        objectName: "formatProblem"
        readonly property bool checked: root.editor.hasFormat(root.fieldPath)
        visible: checked
        text: checked && loader.item && !loader.item.activeFocus
              ? root.editor.formatProblem(root.fieldPath, loader.item.text) : ""
        color: Theme.warning
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.Wrap
        Layout.fillWidth: true
        Layout.minimumHeight: fontMetrics.height
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
        FontMetrics { id: fontMetrics; font.pixelSize: Theme.fontSmall }
    }
    Label {
        visible: root.help !== ""
        text: root.help
        color: Theme.muted
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    Rectangle {
        visible: root.qaNote !== ""
        Layout.fillWidth: true
        implicitHeight: noteLabel.implicitHeight + 16
        radius: 4
        color: Theme.warningBack
        border.color: Theme.warning
        Label {
            id: noteLabel
            objectName: "qaNote"
            anchors.fill: parent
            anchors.margins: 8
            text: qsTr("Supervisor's note: %1").arg(root.qaNote)
            wrapMode: Text.Wrap
            color: Theme.warning
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
    }

    FieldNote {
        // A note is for what the officer wrote, not for a field the supervisor writes themself.
        fieldPath: root.writable ? "" : root.fieldPath
        label: root.label
    }

    Component {
        id: line
        EditTextField {
            objectName: root.inputName
            key: root.fieldPath
            stored: root.editor.revision >= 0 ? (root.editor.value(root.fieldPath) ?? "") : ""
            readOnly: !root.writable
            placeholderText: root.placeholder
            implicitHeight: Theme.touch
            Accessible.name: root.label
            Accessible.description: root.help
            onEdited: (typed) => root.editor.setText(root.fieldPath, typed)
        }
    }
    Component {
        id: area
        EditTextArea {
            objectName: root.inputName
            key: root.fieldPath
            stored: root.editor.revision >= 0 ? (root.editor.value(root.fieldPath) ?? "") : ""
            readOnly: !root.writable
            placeholderText: root.placeholder
            wrapMode: TextEdit.Wrap
            implicitHeight: Math.max(Theme.touch * 2, contentHeight + 24)
            Accessible.name: root.label
            Accessible.description: root.help
            onEdited: (typed) => root.editor.setText(root.fieldPath, typed)
        }
    }
}
