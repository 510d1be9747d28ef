// direction: incoming
// What it does: maps the other side's statuses to this workflow's.
// Expected: "To Do" becomes "Open"; "In Progress" stays "In Progress".
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = nodeHelper.getIssueType(replica.type?.name)?.name ?: "Task"
}
issue.summary = replica.summary

def statusMap = [
    "To Do"      : "Open",
    "In Progress": "In Progress",
    "Done"       : "Done"
]
def remoteStatusName = replica.status?.name
issue.setStatus(statusMap[remoteStatusName] ?: "Open")
