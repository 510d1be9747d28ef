// direction: incoming
// What it does: marks bugs in the summary, with a switch on the type.
// Expected: a Bug arrives as "BUG: <summary>"; other types keep their summary.
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = nodeHelper.getIssueType(replica.type?.name)?.name ?: "Task"
}
switch (replica.type?.name) {
    case "Bug":
        issue.summary = "BUG: " + replica.summary
        break
    case ["Epic", "Story"]:
        issue.summary = "FEATURE: " + replica.summary
        break
    default:
        issue.summary = replica.summary
}
