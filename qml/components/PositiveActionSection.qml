import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// Positive action: an arrest, or where a power of arrest existed and none was made, why.
WizardSection {
    id: root

    title: qsTr("Positive action")
    section: IncidentEditor.PositiveActionSection

    ChoiceField { objectName: "powerOfArrest"; fieldPath: "positive_action.power_of_arrest"; label: qsTr("Did a power of arrest exist?") }
    ChoiceField { objectName: "arrestMade"; fieldPath: "positive_action.arrest_made"; label: qsTr("Was an arrest made?") }
    WizardField {
        visible: editor.revision >= 0 && editor.value("positive_action.power_of_arrest") === true
                 && editor.value("positive_action.arrest_made") === false
        fieldPath: "positive_action.no_arrest_justification"
        inputName: "noArrestField"
        label: qsTr("Why no arrest was made (needed)")
        multiline: true
    }
    Item { implicitHeight: Theme.gap }
}
