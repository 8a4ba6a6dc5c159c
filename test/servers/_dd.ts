import { demoData } from "/work/main/test/servers/demo-data";
import { parsePhoneNumberFromString } from "libphonenumber-js";
const t=Date.now();
const d = demoData(); const d2 = demoData();
console.log("ms", Date.now()-t, JSON.stringify(d.contactPersons.map(p=>({...p,photo:undefined})))===JSON.stringify(d2.contactPersons.map(p=>({...p,photo:undefined}))));
console.log(d.businessPartners.length, d.contactPersons.length);
const cp=d.contactPersons;
console.log(cp.slice(0,3).map(p=>[p.id,p.firstName,p.lastName,p.email,p.mobile,p.businessPartnerId]));
console.log(d.businessPartners.slice(0,3).map(b=>[b.id,b.name,b.address.city,b.emailDomains]));
const by=(f:(p:any)=>string|null)=>{const m=new Map<string,number>();for(const p of cp){const k=f(p);if(k)m.set(k,(m.get(k)??0)+1)}return [...m.values()].filter(v=>v>1).length};
console.log("dupEmail",by(p=>p.email?.toLowerCase()),"dupName",by(p=>p.firstName+" "+p.lastName),"dupNamePartner",by(p=>p.firstName+" "+p.lastName+p.businessPartnerId),"dupMobile",by(p=>p.mobile));
console.log("demo.user",cp.filter(p=>p.responsibleEmployee==="demo.user").length,"photos",cp.filter(p=>p.photo).length,"inactive",cp.filter(p=>p.status==="inactive").length,"deleted",cp.filter(p=>p.status==="deleted").length);
console.log("bad", cp.filter(p=>/neumann|bianchi/i.test(p.lastName+p.email)).length);
let bad=0; for(const p of cp) for(const k of ["phone","mobile","fax"] as const){const v=p[k]; if(v){const n=parsePhoneNumberFromString(v,"DE"); if(!n||!n.isPossible()){bad++; if(bad<5)console.log("badphone",v)}}}
console.log("badphones",bad, "anchorsDup", cp.filter(p=>p.lastName==="Schmidt"&&p.firstName==="Anna").length);
console.log(cp.slice(100,106).map(p=>[p.salutation,p.firstName,p.lastName,p.email,p.phone,p.mobile]));
