import Foundation
import FrontwatchTestSupport
import Testing

/// An alert says where it stands: the settlement its sentence named, or that the place is a
/// broad area rather than an axis.
@Suite("where an alert stands")
struct AlertPlaceTests {
    @Test("a settlement's alert reads \"Orikhiv axis (Robotyne)\" and carries FRONTWATCH_PLACE; an area's reads \"area\"")
    func placeAndAreaInTheJournal() async throws {
        try await TestJournal.ensureRunning()
        try await withTestDaemon("place") { d in
            let process = try await d.start()
            try d.drop("date 2024-06-20\nUkrainian assault groups stepped up attacks near Robotyne on Thursday, a brigade spokesman said.\n",
                       named: "robotyne.txt")
            try d.drop("date 2024-06-21\nThe enemy has intensified assaults across Donbas, the brigade said.\n",
                       named: "donbas.txt")
            _ = try await d.messages.waitForCounts("both articles") { $0.processed == 2 && $0.pending == 0 }
            try await journalBarrier()
            let alerts = try TestJournal.entries(["_PID=\(process.pid)", "MESSAGE_ID=\(alertMessageID)"])
            let orikhiv = try #require(alerts.first { $0["FRONTWATCH_AXIS"] == "Orikhiv" }, "\(alerts)")
            #expect(orikhiv["FRONTWATCH_PLACE"] == "Robotyne")
            #expect(orikhiv["MESSAGE"]?.hasPrefix("Orikhiv axis (Robotyne): Ukrainian forces intensified") == true, "\(orikhiv["MESSAGE"] ?? "")")
            let donbas = try #require(alerts.first { $0["FRONTWATCH_AXIS"] == "Donbas" }, "\(alerts)")
            #expect(donbas["FRONTWATCH_AXIS_KIND"] == "area" && donbas["FRONTWATCH_PLACE"] == nil)
            #expect(donbas["MESSAGE"]?.hasPrefix("Donbas area: ") == true, "\(donbas["MESSAGE"] ?? "")")
        }
    }
}
