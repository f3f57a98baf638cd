pragma Singleton
import QtQuick

// Sizes and colours shared by every page: touch targets of at least 48 px, readable text
// in poor light, and one colour per risk grade used everywhere a grade is shown.
QtObject {
    readonly property int touch: 56
    readonly property int gap: 16
    readonly property int pageMargin: 32
    readonly property int formWidth: 560
    readonly property int fontBody: 18
    readonly property int fontTitle: 28
    readonly property int fontSmall: 15
    readonly property color high: "#b3261e"
    readonly property color medium: "#b25e00"
    readonly property color standard: "#2e6b30"
    readonly property color ungraded: "#5f6368"
    readonly property color warning: "#b3261e"
    readonly property color warningBack: "#fdecea"
    readonly property color infoBack: "#e8f0fe"
    readonly property color muted: "#5f6368"

    function gradeColour(grade: string): color {
        if (grade === "high")
            return high
        if (grade === "medium")
            return medium
        if (grade === "standard")
            return standard
        return ungraded
    }
}
