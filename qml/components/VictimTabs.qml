import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Which victim the section shows (an incident may have several), and adding one.
Flow {
    id: root

    property bool allowAdd: true
    readonly property IncidentEditor editor: Draft.editor

    Layout.fillWidth: true
    spacing: 8

    Repeater {
        model: root.editor.victimCount
        Button {
            required property int index
            objectName: "victimTab_" + index
            text: (root.editor.revision >= 0 ? root.editor.victimName(index) : "") || qsTr("Victim %1").arg(index + 1)
            checkable: true
            checked: root.editor.currentVictim === index
            highlighted: checked
            implicitHeight: Theme.touch
            Accessible.name: qsTr("Show victim %1").arg(text)
            onClicked: {
                root.editor.currentVictim = index
                checked = Qt.binding(() => root.editor.currentVictim === index)
            }
        }
    }
    Button {
        visible: root.allowAdd && root.editor.editable
        objectName: "addVictimButton"
        text: root.editor.victimCount === 0 ? qsTr("Add the victim") : qsTr("Add another victim")
        implicitHeight: Theme.touch
        Accessible.name: text
        onClicked: root.editor.addVictim()
    }
}
