// direction: incoming
// What it does: picks a team from the labels with a map and find, and writes it to a custom field.
// Expected: an issue labelled "login" gets Customer = "Auth team".
def teamByLabel = ["ui": "Design team", "login": "Auth team"]
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
issue.summary = replica.summary
def team = teamByLabel.find { label, name -> label in replica.labels && label != "ui" }?.value ?: "General"
issue.customFields."Customer".value = team
