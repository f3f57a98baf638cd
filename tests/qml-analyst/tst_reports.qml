import QtQuick
import QtTest
import Vigil
import VigilTest

// The analyst's Reports page (issue 25), on a desktop (1920x1080, then 1280x800): the app is
// enrolled as an analyst (an.5150); an officer's tablet (a second real device) submits 124Ds
// through a real vigil-server. The analyst sees the figures the server publishes of them, in
// words and listed, never a record and never a count from 1 to 4. Set VIGIL_DESK_SHOTS=DIR to
// save the screens as PNGs.
TestCase {
    id: root

    property var window: null

    function find(name: string): var {
        const item = findChild(window.contentItem, name)
        verify(item !== null, "no item named " + name + " on screen")
        return item
    }
    function typeInto(name: string, text: string) {
        const field = find(name)
        field.forceActiveFocus()
        field.selectAll()
        keyClick(Qt.Key_Backspace)
        for (let i = 0; i < text.length; ++i)
            keyClick(text[i])
    }
    function shot(name: string) {
        const dir = Shots.directory
        if (dir === "")
            return
        waitForRendering(window.contentItem)
        verify(Shots.grab(window, name + "-" + window.width + "x" + window.height), "saved " + name)
    }
    function reload() {
        Reports.refresh()
        tryCompare(Reports, "loading", false, 30000)
        compare(Reports.message, "")
    }

    name: "AnalystReports"
    when: windowShown

    function initTestCase() {
        const component = Qt.createComponent("qrc:/Vigil/Main.qml")
        compare(component.status, Component.Ready, component.errorString())
        window = component.createObject(null, {width: 1920, height: 1080})
        verify(window)
        window.requestActivate()
        tryCompare(AppController, "stage", AppController.Enrol, 10000)
        mouseClick(find("enrolButton"))
        tryCompare(AppController, "stage", AppController.SetPin, 20000)
        verify(AppController.figuresOnly, "the server made this user an analyst")
        typeInto("newPinField", "582914")
        typeInto("confirmPinField", "582914")
        mouseClick(find("setPinButton"))
        tryCompare(AppController, "stage", AppController.Home, 30000)
    }

    function cleanupTestCase() {
        if (window)
            window.destroy()
    }

    function test_1_an_analyst_gets_the_reports_page_and_no_casework() {
        find("reportsNarrative")
        // Nothing of an officer's, an IDVA's or a supervisor's home is there.
        for (const name of ["newDraftButton", "filterTabs", "incidentList", "qaQueueTab", "deskTabs"])
            verify(findChild(window.contentItem, name) === null, name + " is not on an analyst's screen")
        compare(Reports.borough, "")
        verify(Reports.boroughs.indexOf("camden") >= 0, "the analyst's own borough is offered")
    }

    function test_2_the_figures_of_the_officers_124Ds_in_words_and_listed() {
        Officer.submitDemo(14)
        tryCompare(Officer, "busy", false, 60000)
        compare(Officer.error, "")
        verify(Officer.submitted >= 5, "the officer submitted some: " + Officer.submitted)
        Reports.period = "last_12_months"
        reload()
        const text = find("reportsNarrative").text
        verify(text.indexOf("Domestic abuse figures for " + Reports.periodWords + ": camden") === 0, text.substring(0, 200))
        verify(text.indexOf("camden recorded ") > 0, text)
        verify(text.indexOf("domestic abuse incidents (124Ds received).") > 0, text)
        verify(text.indexOf("Equality and diversity.") > 0)
        verify(text.indexOf("fewer than 5") > 0 || text.indexOf("Fewer than 5") > 0, "small counts are withheld in words")
        // Every figure listed once for camden, each in words; none says a count from 1 to 4.
        const rows = Reports.figures.filter(f => f.scope === "camden")
        compare(rows.length, 37)  // every figure of docs/figures.md: the crime outcomes', the casework and reviews' too
        compare(new Set(rows.map(f => f.id)).size, rows.length)
        const incidents = rows.find(f => f.id === "incidents")
        verify(Number(incidents.words) >= 5, incidents.words)
        for (const f of rows) {
            verify(!/^[1-4]( |$)/.test(f.words), f.id + ": " + f.words)
            verify(!/ \([0-9]+%\)/.test(f.words) || f.withheld === "", f.id + " has no rate when withheld")
        }
        // No number in the narrative is a count from 1 to 4 of anything.
        verify(!/(^|[^0-9,.%])[1-4] (of|domestic|victims|crimes|incidents)/.test(text), text)
    }

    function test_3_one_borough_and_a_period_chosen() {
        Reports.borough = "camden"
        Reports.period = "last_3_months"
        reload()
        verify(Reports.figures.every(f => f.scope === "camden"), "one borough: no boroughs-together paragraph")
        verify(find("reportsNarrative").text.indexOf(Reports.periodWords) > 0)
        Reports.borough = "islington"
        Reports.refresh()
        tryCompare(Reports, "loading", false, 30000)
        // An analyst of every borough may ask for any: Islington has none of these 124Ds.
        compare(Reports.message, "")
        verify(find("reportsNarrative").text.indexOf("islington recorded no domestic abuse incidents") > 0,
               find("reportsNarrative").text)
        Reports.borough = ""
        Reports.period = "last_12_months"
        reload()
    }

    function test_4_the_reports_screens_at_1920x1080_and_1280x800() {
        for (const size of [[1920, 1080], [1280, 800]]) {
            window.width = size[0]
            window.height = size[1]
            tryCompare(window.contentItem, "width", size[0], 5000)
            waitForRendering(window.contentItem)
            const scroll = find("reportsNarrativeScroll")
            verify(scroll.width > 300, "the narrative has room: " + scroll.width)
            verify(scroll.height > 200)
            shot("analyst-reports")
        }
        window.width = 1920
        window.height = 1080
    }
}
