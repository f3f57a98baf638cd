import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// An on/off flag of the open 124D (e.g. honour-based violence), saved at once.
Switch {
    id: root

    property string fieldPath: ""
    readonly property IncidentEditor editor: Draft.editor

    function focusInput() {
        forceActiveFocus()
    }

    checked: editor.revision >= 0 && editor.value(fieldPath) === true
    enabled: editor.editable
    implicitHeight: Theme.touch
    Accessible.name: text
    onToggled: {
        editor.setChoice(fieldPath, checked)
        checked = Qt.binding(() => editor.revision >= 0 && editor.value(fieldPath) === true)
    }
}
