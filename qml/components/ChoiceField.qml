import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// A question answered with a tap: yes / no by default, or any list of {value, label}.
// The tap is saved at once. Tapping the chosen answer again leaves it chosen (a wrong tap is
// corrected by tapping the other answer).
ColumnLayout {
    id: root

    property string fieldPath: ""
    property string label: ""
    property var options: [{ value: true, label: qsTr("Yes") }, { value: false, label: qsTr("No") }]
    readonly property IncidentEditor editor: Draft.editor
    /// Whether the user may change this answer: the 124D's own rule, unless a field has one of its own.
    property bool writable: editor.editable
    readonly property var current: editor.revision >= 0 ? editor.value(fieldPath) : undefined
    readonly property string qaNote: editor.revision >= 0 && editor.reviewNote !== "" ? editor.noteFor(fieldPath) : ""
    readonly property bool hasProblem: editor.problems.count > 0 && editor.problems.hasField(fieldPath)

    function focusInput() {
        if (buttons.count > 0)
            buttons.itemAt(0).forceActiveFocus()
    }

    spacing: 4
    Layout.fillWidth: true

    Label {
        text: root.label
        font.bold: true
        color: root.hasProblem ? Theme.warning : palette.windowText
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    Flow {
        Layout.fillWidth: true
        spacing: 8
        Repeater {
            id: buttons
            model: root.options
            Button {
                required property var modelData
                required property int index
                objectName: root.objectName !== "" ? root.objectName + "_" + index : ""
                text: (checked ? "✓ " : "") + modelData.label
                checkable: root.writable
                checked: root.current === modelData.value
                highlighted: checked
                // Read-only (submitted, or the supervisor's review): the chosen answer stays plain
                // to see, marked and bold; the others fade. Never greyed out alike.
                opacity: root.writable || checked ? 1 : 0.45
                font.bold: checked
                Accessible.checked: checked
                implicitHeight: Theme.touch
                implicitWidth: Math.max(120, contentItem.implicitWidth + 32)
                Accessible.name: root.label + ": " + modelData.label
                onClicked: {
                    if (!root.writable)
                        return
                    checked = Qt.binding(() => root.current === modelData.value)
                    root.editor.setChoice(root.fieldPath, modelData.value)
                }
            }
        }
    }
    Label {
        visible: root.qaNote !== ""
        objectName: "qaNote"
        text: qsTr("Supervisor's note: %1").arg(root.qaNote)
        color: Theme.warning
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
    FieldNote {
        // Not on the supervisor's own grade: that is their decision, not a note to the officer.
        fieldPath: root.writable ? "" : root.fieldPath
        label: root.label
    }
}
