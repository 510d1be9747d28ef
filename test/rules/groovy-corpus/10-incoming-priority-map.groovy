// direction: incoming
// What it does: folds five priorities into three.
// Expected: "Highest" arrives as "High", "Lowest" as "Low".
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
issue.summary = replica.summary
def priorityMapping = ["Highest": "High", "High": "High", "Medium": "Medium", "Low": "Low", "Lowest": "Low"]
def priorityName = priorityMapping[replica.priority?.name] ?: "Medium"
issue.priority = nodeHelper.getPriority(priorityName)
