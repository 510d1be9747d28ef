// direction: outgoing
// What it does: shares two custom fields by name, and a custom key the other side reads.
// Expected on the other side (with 08 as its incoming rule): Story Points, Severity and Customer arrive.
replica.summary = issue.summary
replica.customFields."Story Points" = issue.customFields."Story Points"
replica.customFields."Severity"     = issue.customFields."Severity"
replica.customKeys."customerName"   = issue.customFields."Customer"?.value
