// direction: incoming
// What it does: creates the issue in SC and sets custom fields by name from the replica.
// Expected: Story Points and Severity are copied; Customer comes from a custom key, upper-cased.
if (firstSync) {
    issue.projectKey = "SC"
    issue.typeName   = "Task"
}
issue.summary = replica.summary
issue.customFields."Story Points".value = replica.customFields."Story Points"?.value
issue.customFields."Severity".value     = replica.customFields."Severity"?.value
def customer = replica.customKeys."customerName"
if (customer) {
    issue.customFields."Customer".value = customer.toUpperCase()
}
