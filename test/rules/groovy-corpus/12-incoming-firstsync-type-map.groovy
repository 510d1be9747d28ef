// direction: incoming
// What it does: creates the issue in SC with a mapped issue type; a type SC lacks falls back.
// Expected: an "Improvement" on the other side becomes a "Story" here.
def typeMap = ["Improvement": "Story", "Bug": "Bug", "Task": "Task"]
if (firstSync) {
    issue.project  = nodeHelper.getProject("SC")
    def wanted     = typeMap[replica.type?.name] ?: replica.type?.name
    issue.typeName = nodeHelper.getIssueType(wanted, "SC")?.name ?: "Task"
}
issue.summary     = replica.summary
issue.description = replica.description
