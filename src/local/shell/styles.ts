// Jira's look in a few rules: Atlassian's neutral and blue palette, its
// lozenges for statuses, and the navy top bar.

export const shellCss = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.43 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Noto Sans",Ubuntu,"Helvetica Neue",sans-serif;color:#172B4D;background:#FFFFFF}
a{color:#0052CC;text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:24px;font-weight:500;margin:0 0 16px}h2{font-size:16px;font-weight:600;margin:24px 0 8px}
.topbar{display:flex;align-items:center;gap:16px;height:56px;padding:0 16px;background:#0747A6;color:#fff}
.topbar a{color:#DEEBFF;font-weight:500}.topbar a:hover{color:#fff}
.topbar .site{display:flex;align-items:center;gap:8px;color:#fff;font-weight:600;font-size:16px}
.topbar .site .logo{display:inline-block;width:24px;height:24px;border-radius:4px;background:#2684FF;text-align:center;line-height:24px;font-size:13px}
.topbar .spacer{flex:1}
.menu{position:relative}.menu summary{cursor:pointer;list-style:none;color:#DEEBFF;font-weight:500}.menu summary::-webkit-details-marker{display:none}
.menu[open] .menu-items{position:absolute;top:28px;left:0;z-index:10;min-width:200px;background:#fff;border-radius:3px;box-shadow:0 4px 8px -2px rgba(9,30,66,.25),0 0 1px rgba(9,30,66,.31);padding:4px 0}
.menu-items .heading{padding:6px 16px;font-size:11px;font-weight:700;color:#5E6C84;text-transform:uppercase}
.menu-items a{display:block;padding:8px 16px;color:#172B4D}.menu-items a:hover{background:#F4F5F7;text-decoration:none}
.switcher select{background:#0052CC;color:#fff;border:1px solid #4C9AFF;border-radius:3px;padding:4px}
.switcher button{margin-left:4px}
.layout{display:flex;min-height:calc(100vh - 56px)}
.sidebar{width:240px;flex:none;background:#F4F5F7;border-right:1px solid #DFE1E6;padding:24px 8px}
.sidebar .project{padding:0 8px 16px;font-weight:600}.sidebar .project small{display:block;color:#5E6C84;font-weight:400}
.sidebar a{display:block;padding:8px;border-radius:3px;color:#42526E}.sidebar a:hover{background:#EBECF0;text-decoration:none}
.sidebar .section{margin-top:16px;padding:0 8px;font-size:11px;font-weight:700;color:#5E6C84;text-transform:uppercase}
main{flex:1;padding:24px 40px;max-width:1200px}
.breadcrumbs{color:#5E6C84;margin-bottom:8px}
table.list{width:100%;border-collapse:collapse}
table.list th{text-align:left;color:#5E6C84;font-size:12px;font-weight:600;border-bottom:2px solid #DFE1E6;padding:6px 8px}
table.list td{border-bottom:1px solid #EBECF0;padding:8px;vertical-align:top}
table.list tr:hover td{background:#FAFBFC}
.lozenge{display:inline-block;padding:0 4px;border-radius:3px;font-size:11px;font-weight:700;text-transform:uppercase;background:#DFE1E6;color:#42526E}
.lozenge.indeterminate{background:#DEEBFF;color:#0747A6}.lozenge.done{background:#E3FCEF;color:#006644}
.label{display:inline-block;margin:0 4px 2px 0;padding:0 4px;border-radius:3px;background:#EBECF0;color:#172B4D;font-size:12px}
.muted{color:#5E6C84}
.errors{background:#FFEBE6;border-left:4px solid #DE350B;padding:8px 12px;margin:0 0 16px;border-radius:3px}
.errors ul{margin:0;padding-left:18px}
form.stack label{display:block;margin:12px 0 4px;font-size:12px;font-weight:600;color:#5E6C84}
input[type=text],select,textarea{font:inherit;color:#172B4D;border:2px solid #DFE1E6;border-radius:3px;padding:6px 8px;background:#FAFBFC}
input[type=text]:focus,select:focus,textarea:focus{border-color:#4C9AFF;background:#fff;outline:none}
form.stack input[type=text],form.stack select,form.stack textarea{width:100%}
textarea{min-height:90px;resize:vertical}
button{font:inherit;font-weight:500;cursor:pointer;border:none;border-radius:3px;padding:6px 12px;background:rgba(9,30,66,.04);color:#42526E}
button:hover{background:rgba(9,30,66,.08)}
button.primary{background:#0052CC;color:#fff}button.primary:hover{background:#0065FF}
button.danger{color:#DE350B;background:none;padding:2px 6px}
button.link{background:none;color:#0052CC;padding:2px 6px}
.jql{display:flex;gap:8px;margin-bottom:16px}.jql input{flex:1;font-family:SFMono-Medium,Menlo,Consolas,monospace}
.columns{display:flex;gap:32px;align-items:flex-start}.columns .main-col{flex:1;min-width:0}.columns .side-col{width:320px;flex:none}
.fields{border:1px solid #DFE1E6;border-radius:3px;padding:8px 16px}
.fields dl{display:grid;grid-template-columns:110px 1fr;gap:8px 12px;margin:8px 0}.fields dt{color:#5E6C84;font-weight:600;font-size:12px}.fields dd{margin:0}
.description{padding:4px 0}
.comment{display:flex;gap:12px;margin:16px 0}.comment .body{flex:1}
.avatar{flex:none;display:inline-block;width:32px;height:32px;border-radius:50%;background:#0065FF;color:#fff;text-align:center;line-height:32px;font-weight:600}
.transitions{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0 16px}.transitions form{display:inline}
.inline{display:inline}
.comment-actions{display:flex;gap:8px;align-items:flex-start}.comment-actions>details{flex:1}.comment-actions summary{cursor:pointer;color:#5E6C84;padding:2px 0}
details.card{border:1px solid #DFE1E6;border-radius:3px;padding:8px 12px;margin:12px 0}details.card>summary{cursor:pointer;font-weight:600}
iframe.app-panel{width:100%;height:420px;border:1px solid #DFE1E6;border-radius:3px}
.panel{border-radius:3px;padding:8px 12px;margin:8px 0;background:#DEEBFF}.panel-warning{background:#FFFAE6}.panel-error{background:#FFEBE6}.panel-success{background:#E3FCEF}.panel-note{background:#EAE6FF}
pre{background:#F4F5F7;padding:8px;border-radius:3px;overflow:auto}
blockquote{border-left:2px solid #DFE1E6;margin:8px 0;padding-left:16px;color:#42526E}
table.adf-table{border-collapse:collapse}table.adf-table td,table.adf-table th{border:1px solid #DFE1E6;padding:4px 8px}
.mention{background:#EBECF0;border-radius:20px;padding:0 4px}
.pager{margin-top:12px;display:flex;gap:16px}
`;
