import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// One section of the 124D wizard: a heading, the supervisor's notes on fields of this
// section (a returned 124D), then the fields, scrolling on a small screen.
ScrollView {
    id: root

    property string title: ""
    property int section: 0
    default property alias content: column.data
    readonly property IncidentEditor editor: Draft.editor

    /// The on-screen label of the field a path names in this section (the path itself when
    /// no field shows it), so a note reads "on CRIMINT reference", not "on refs.crimint".
    function labelFor(path: string): string {
        const walk = (item) => {
            if (!item)
                return null
            if (item.fieldPath === path && (item.label || item.text))
                return item
            for (let i = 0; i < item.children.length; ++i) {
                const found = walk(item.children[i])
                if (found)
                    return found
            }
            return null
        }
        const field = walk(column)
        return field ? (field.label || field.text) : path
    }

    /// Scroll so `item` (inside this section) is on screen.
    function ensureVisible(item: Item) {
        const y = item.mapToItem(column, 0, 0).y
        const flick = root.contentItem
        flick.contentY = Math.max(0, Math.min(y - Theme.gap, flick.contentHeight - flick.height))
    }

    contentWidth: availableWidth
    clip: true

    ColumnLayout {
        id: column
        width: Math.min(root.availableWidth - 2 * Theme.gap, 900)
        x: Theme.gap
        spacing: Theme.gap

        SectionHeading {
            text: root.title
            font.pixelSize: 24
        }
        Repeater {
            model: root.editor.revision >= 0 && root.editor.reviewNote !== "" ? root.editor.notesForSection(root.section) : []
            MessageBanner {
                required property var modelData
                objectName: "sectionQaNote"
                Layout.fillWidth: true
                text: qsTr("Supervisor's note on “%1”: %2").arg(root.labelFor(modelData.field)).arg(modelData.note)
            }
        }
    }
}
