"""Event types: the one table that extraction, the map's layers, the timeline, the events page and
the codebook (docs/events.md) all read. A new type is one row here.

Rows are in order of precedence: a sentence with no action takes the first of its other types (a
meeting outranks the statement that reports it). Triggers are regular expressions on words.
Colours are a colour-blind-safe palette (Okabe-Ito, then Paul Tol's muted); icons are Font Awesome's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventType:
    name: str
    label: str
    #: an action taken against someone (a raid, an arrest...): a sentence may report several
    action: bool
    colour: str
    icon: str
    triggers: tuple[str, ...]
    #: its people come from somewhere and may be sent somewhere: the event keeps their origins and
    #: destinations, drawn in the Movements layer
    moves_people: bool = False
    #: its people are taken or go somewhere (deported, fleeing, trafficked): where they reach is its
    #: destination; a raid, an arrest or a rescue keeps only where its people came from ("arrested
    #: and sent to China": the sending is the deportation's)
    takes_people_somewhere: bool = False
    #: with no destination named, its people are sent home (their origins are its destinations)
    sends_home: bool = False
    #: placed at the state that issues it, not at what it is about
    placed_at_issuer: bool = False
    #: placed where it is aimed ("cut power to Myawaddy"), not at the state that does it
    placed_at_target: bool = False
    #: it is the saying itself: dated by the day it was said ("said on Tuesday")
    dated_when_said: bool = False
    #: told by its victims or witnesses: through a verb of saying, an allegation
    alleged_when_told: bool = False


EVENT_TYPES: tuple[EventType, ...] = (
    EventType("raid", "Raid", True, "#D55E00", "person-military-rifle",
              ("raid(?:s|ed|ing)?", "crack(?:s|ed|ing)? down", "crackdowns?", "sweeping operations?",
               "swoop(?:s|ed)?", "busted", "stormed", "surround(?:ed|ing)", "search warrants?",
               # officers going in: "entered a three-storey building in a plaza"
               "(?:entered|searched|inspected) (?:a|an|the) (?:[\\w-]+ ){0,3}?(?:building|compound|premises|property|"
               "hotel|casino|offices?|house|complex|site|hub)",
               # "inspected 46 business units in the zone", "the operation at the 22-building compound"
               "inspect(?:ed|ions? (?:of|at)) (?:[\\d,]+ |[\\w-]+ ){0,3}?(?:business(?:es)?|units|buildings|premises|"
               "compounds|sites|locations|casinos|hotels|offices)",
               "operations? (?:at|on|inside) (?:the|a|an) (?:[\\w-]+ ){0,3}?(?:compound|building|complex|casino|hub|site|"
               "premises|zone)",
               # a raid is on a place: the people it takes are its arrests' and rescues' (their origins)
               "(?:large |major |joint |security )?operations? against",
               # "dismantled nine call-centre fraud operations", "searched 15 locations across six states"
               "dismantl(?:ed|ing) (?:[\\d,]+ |[\\w-]+ ){0,4}?(?:operations|cent(?:re|er)s|compounds|networks|rings|hubs|"
               "syndicates|dens)",
               "searched (?:[\\d,]+ |[\\w-]+ ){0,3}?(?:locations|premises|houses|homes|offices|buildings|sites|"
               "properties|addresses)")),
    EventType("arrest", "Arrest", True, "#CC79A7", "handcuffs",
              ("(?<!cardiac )arrest(?:s|ed|ing)?(?! warrants?)", "detain(?:s|ed|ing)?", "apprehend(?:ed)?", "(?:taken|held) into custody", "in custody",
               "rounded up", "round-ups?", "netted", "nabbed", "caught",
               # "14 Malaysians were picked up at a house", "23 people were held over a job fraud"
               "(?:were|been|being) picked up (?:at|in|from|near|on|by police)", "held (?:on suspicion|for questioning|over (?:a|an|the|their|its) (?:[\\w-]+ ){0,3}?(?:scams?|fraud|frauds|"
               "cases?|charges?|gambling|operations?))",
               "taken to (?:a |the )?(?:\\w+ )?police station", "intercept(?:ed|ing)",
               "stopped at (?:a |the )?(?:\\w+ )?checkpoints?",
               # travellers stopped at an airport or a border: "stopped 14 Indonesians from flying out",
               # "The first eight were stopped at Terminal 2", "were flagged as they tried to leave"
               "stopped (?:more than |at least |about |some )?(?:[\\d,]+|an?|one|two|three|four|five|six|seven|eight|"
               "nine|ten|dozens of|hundreds of|thousands of) (?:[\\w-]+ ){0,3}?(?:people|men|women|man|woman|"
               "travell?ers|passengers|nationals|citizens|workers|foreigners|suspects|victims|"
               "\\w+(?:ians|ans|ese|inos|inas|is))\\b",
               "(?<!works )(?<!work )(?<!projects )(?:were|been|being) (?:stopped|flagged|offloaded)",
               "was (?:flagged|offloaded)"),
              moves_people=True),
    EventType("rescue", "Rescue", True, "#009E73", "life-ring",
              # not "rescue volunteers", "rescue teams": people named by their work
              ("rescu(?:e|es|ed|ing)(?! (?:volunteers|workers|teams?|crews?|services?|officials))", "freed", "freeing",
               "liberated",
               # "released thousands of trafficked workers": people let go by those who held them
               "releas(?:ed|ing) (?:[\\w,-]+ ){0,4}?(?:workers|victims|captives|hostages|foreigners)",
               "secured the (?:release|freedom) of"), moves_people=True),
    EventType("escape", "Escape", True, "#117733", "person-running",
              ("escap(?:e|ed|es|ing)(?! routes?| plans?)", "fled", "flee(?:s|ing)?", "(?<!fighting )(?<!clashes )(?<!war )(?<!fire )(?<!violence )broke out", "swam across", "r[au]n(?:ning)? away",
               "slip(?:ped|s)? (?:away|out)", "ran from (?:the|a|an|their) ",
               "crossed the (?:\\w+ )?river", "stream(?:ed|ing) out", "pour(?:ed|ing) (?:out|across)", "waded across",
               # workers walking out of compounds: "walking down from the scam site", "begun leaving in large numbers"
               "walk(?:ed|ing) (?:down |out )?(?:of|from) (?:the |a |an )?(?:[\\w-]+ ){0,3}?(?:compounds?|sites?|complex(?:es)?|"
               "buildings?|hubs?|casinos?)", "(?:began|begun|started) leaving", "leaving in (?:large |great )?numbers"),
              moves_people=True, takes_people_somewhere=True),
    EventType("deportation", "Deportation", True, "#0072B2", "plane-departure",
              ("deport(?:s|ed|ing|ations?)?", "repatriat(?:ed|ion|ing)", "expel(?:s|led|ling)?", "sent (?:[\\w,]+ ){0,5}?(?:back|home)",
               "handed (?:over|back)(?! (?:cash|money|funds|documents|data|evidence|phones)\\b)",
               "hand(?:s|ing)? over(?! (?:the )?(?:cash|money|funds|documents|data|evidence|phones|required)\\b)", "handovers?", "flown (?:out|home|back)",
               "(?:brought|bring(?:s|ing)?) (?:[\\w,]+ ){0,4}?back", "brought (?:[\\w,]+ ){0,5}?home", "returned home",
               # "brought 549 Indian nationals rescued from centres in Myanmar's Myawaddy area back to India"
               "(?:brought|bring(?:s|ing)?) (?:[\\w'’-]+ ){5,12}?(?:back|home) to",
               "(?<!had )(?<!have )came (?:back )?home", "arriv(?:ed|ing) (?:back )?home",
               "(?:brought|bring(?:s|ing)?) across the border",
               # people moved by others: "arrested on Jan. 6 and flown to China", "sent him to China"
               "(?:(?<=and )|(?<=was )|(?<=were )|(?<=been ))(?:flown|sent) (?:back )?(?:from [\\w' -]{1,30}? )?to"
               "(?! (?:an? |the )?(?:[\\w'-]+ ){0,2}?(?:hospitals?|courts?|prisons?|jails?|penitentiar(?:y|ies)|"
               "correctional|detention|trial|clinics?|shelters?|prosecut\\w+))",
               "sent (?:him|her|them) (?:back )?to",
               # "handed 280 Chinese nationals caught in the zone over to China", "handed them back to"
               "(?:handed|turned) (?:them |him |her |(?:more than |about |some |another )?[\\d,]+ (?:[\\w,'-]+ ){0,18}?)"
               "(?:over|back) to",
               # people handed to another state's officers ("handed 45 Vietnamese to border guards")
               "(?:handed|turned) (?:over )?(?:[\\w,'-]+ ){0,20}?to (?:an? |the )?(?:[\\w'-]+ ){0,2}?(?:police|authorities|"
               "officials|border guards|guards|immigration|team|army|military|soldiers|troops|embass(?:y|ies)|consulates?|"
               "missions?)",
               "(?:flew|flown|flying) (?:[\\w,]+ ){0,5}?out of",
               # returnees at the airport: "arrived at Bandaranaike International Airport", "landed at NAIA's
               # Terminal 3"
               "(?:arrived|arriving|landed|landing|touched down) (?:back )?(?:at|in) (?:the )?(?:[\\w'’.-]+ ){0,4}?"
               "(?:airport|terminal)",
               # "two flights from Kunming carrying the 266 Thais", "a convoy of buses carrying the Indians"
               "(?:flights?|planes?|aircraft|sorties?|charters?|buses|convoys?) (?:[\\w-]+ ){0,4}?carrying (?:the |another |"
               "more than |about |some )?(?:remaining )?(?:[\\d,]+|(?:[\\w-]+ )?(?:nationals|citizens|returnees|workers|"
               "victims|evacuees|deportees))\\b",
               "took off with (?:the |another |more than |about |some )?[\\d,]+",
               "(?:flew|flying|flies) (?:[\\w']+ ){0,4}?(?:home|back)", "taking (?:[\\w,]+ ){0,4}?home",
               "(?:(?<=were )|(?<=was )|(?<=been )|(?<=and ))put on (?:a |the |two |three |\\d+ )?(?:[\\w-]+ ){0,2}?"
               "(?:flights?|planes?)",
               # not "detained them as they boarded a plane": the moment of another act
               "(?<!as they )(?<!when they )boarded (?:[\\w-]+ ){0,4}?(?:flights?|planes?)"),
              moves_people=True,
              takes_people_somewhere=True,
              sends_home=True),
    EventType("seizure", "Seizure", True, "#E69F00", "sack-dollar",
              ("seiz(?:e|ed|es|ing|ures?)", "confiscat(?:ed|ion)", "forfeit(?:ed|ure)",
               "froze|frozen|freez(?:e|ing) (?:of )?assets",
               # "carried away more than 10,000 desktop computers", "recovered computers, mobile phones and cars"
               "carried away", "took away", "recovered (?:[\\w,$-]+ ){0,8}?(?:computers|phones|cash|cars|vehicles|weapons|guns|"
               "drugs|passports|sim cards|devices|equipment|bitcoin|funds)")),
    EventType("sanction", "Sanction", True, "#56B4E9", "ban",
              ("sanction(?:s|ed|ing)?", "(?:arms )?embargo(?:es)?", "blacklist(?:ed)?", "designat(?:ed|ion|ions)",
               "money[- ]laundering concern", "asset freezes?",
               "added (?:[\\w.'-]+ ){1,5}?to its (?:own )?(?:\\w+ )?list",
               "barred (?:\\w+ ){0,3}?(?:banks|firms|companies|institutions) from",
               "cut(?:s|ting)? (?:[\\w.'-]+ ){1,6}?off from the (?:[\\w.]+ )?financial system",
               # a trade measure against another state: "halted imports of Thai fuel and gas"
               "(?:halted|suspended|banned|stopped) (?:\\w+ ){0,3}?(?:imports|exports)"), placed_at_issuer=True),
    EventType("legal", "Legal action", True, "#882255", "gavel",
              ("indict(?:ed|ment|ments)?", "charged", "trials?", "extradit(?:ed|ion|e)", "convicted",
               "sentenced", "prosecut(?:ed|ion|ing)", "sent to court", "lawsuits?", "investigat(?:ion|ions|ed|ing)",
               "inquir(?:y|ies)",
               # a court's ruling, not a clan that "ruled Laukkai"
               "(?:courts?|judges?|tribunal|panel|justices?) (?:[\\w'-]+ ){0,3}?ruled", "ruled (?:that|on|in favou?r|against)",
               "verdicts?", "revoked", "amnest(?:y|ies)(?! international)",
               "(?:issued|issues|issuing|sought|seeks|obtained|served) (?:\\w+ ){0,2}?arrest warrants?",
               # "announced murder and fraud charges against three men", "asked the International Court of Justice to rule"
               "charges against", "cases? against", "asked (?:the |an? )?(?:[\\w-]+ ){0,3}?court(?: of \\w+)? to rule",
               # "filed 31 money laundering cases against", "brought an 87-count complaint", "filed new charges"
               "(?:filed|lodged|brought) (?:[\\w,-]+ ){0,4}?(?:cases?|complaints?|petitions?|appeals?|charges)",
               # "faces a graft case", "faced charges of cybercrime": a case open against someone
               "(?:faces?|facing|faced) (?:a |an |new |further |[\\d,]+ )?(?:[\\w-]+ ){0,2}?(?:charges?|cases?|trials?|counts?)\\b",
               "named (?:as )?suspects", "proceedings against", "(?:on|to) (?:a|its|the) (?:most-)?wanted list",
               "(?:blue|red) notices?",
               "approved (?:the )?(?:[\\w-]+ )?(?:sentences?|verdicts?|executions?)",
               "questioned (?:him|her|them|the (?:\\w+ )?(?:suspects?|men|women|workers|detainees))\\b",
               "(?:presented|submitted) (?:[\\w-]+ ){0,3}?evidence to (?:the )?prosecutors",
               "(?:set up|formed|established) (?:a |an )?(?:[\\w-]+ ){0,2}?(?:panel|committee|task force|commission) "
               "to (?:investigate|look into|probe)",
               "(?:for|under) questioning", "began questioning", "(?:were|was|been|being) questioned", "autops(?:y|ies)",
               # "China has executed 11 members of the Ming family": not "executed a search warrant"
               "execut(?:ed|ions?)(?! (?:an? |the |its |their )?(?:[\\w-]+ )?(?:warrants?|orders?|plans?|strateg\\w*|"
               "contracts?|agreements?|deals?|projects?|transactions?))",
               # "referred 45 South Koreans deported from Cambodia to prosecutors"
               "(?:referred|sent) (?:[\\w,'-]+ ){0,12}?to (?:the )?prosecut(?:ors|ion)", "(?:been|being|were|was) referred",
               # a court's word on a case: "upheld a lower court's order", "rejected their appeals",
               # "approved the death sentences"
               "upheld", "jailed", "imprisoned (?:for|on)",
               "(?:received|given|handed|serving) (?:a|an|the same) (?:[\\w-]+ ){0,3}?(?:terms?|sentences?)",
               "(?:rejected|dismissed|turned down|threw out) (?:[\\w']+ ){0,3}?(?:appeals?|challenges?|petitions?)",
               "(?:death|life|prison|jail) sentences?",
               "(?:asked|applied) (?:\\w+ ){0,3}?for (?:\\w+ )?arrest warrants?"), moves_people=True),
    EventType("violence", "Attack or shelling", True, "#CC6677", "burst",
              ("shell(?:ed|ing|s)", "bomb(?:ed|ing|ings|s)?", "air ?strikes?", "drone (?:strikes?|attacks?)",
               "attack(?:ed|s)?", "gunfights?", "firefights?", "exchange(?:d|s)? (?:of )?(?:gun)?fire", "gunfire",
               "artillery", "rockets?", "explosions?", "blasts?",
               "salvos?", "landmines?", "opened fire", "clash(?:ed|es)", "(?:was|were|been) wounded",
               "fighting (?:began|broke out|erupted|resumed|flared|spread)",
               "(?:round|shell|rocket|mortar)s? (?:struck|hit|landed)")),
    EventType("cutoff", "Power or internet cut", True, "#DDCC77", "plug-circle-xmark",
              ("cut(?:s|ting)? (?:off )?(?:the )?(?:power|electricity|internet|fuel|telecom\\w*|mobile)",
               "stop(?:s|ped)? (?:selling|supplying) (?:electricity|power|fuel)", "rationed", "lights went out",
               "(?:power|electricity|internet|fuel|telecom\\w*|mobile (?:phone )?signals?) (?:supplies |supply |services? )?"
               "(?:(?:was|were|had been|have been) )?(?:cut|cutoff|cut-off|shut off|severed|halted|suspended)",
               "blackouts?", "disabled (?:[\\w,]+ ){0,5}?(?:Starlink|terminals|kits|internet|receivers)"),
              placed_at_target=True),
    EventType("closure", "Closure", True, "#88CCEE", "door-closed",
              ("clos(?:ed|ure|ures|ing)(?! ?-door)", "shut(?:s|ting)? down", "demoli(?:sh|shed|shing|tion)",
               "razed", "seal(?:ed|ing|s)(?: off)?", "destroy(?:ed|ing)?", "knocked down", "brought down",
               "torn down|tore down", "bulldoz(?:ed|ing)", "detonat(?:ed|ing)", "liquidat(?:e|ed|es|ing|ion)")),
    EventType("abuse", "Abuse", False, "#000000", "triangle-exclamation",
              ("traffick(?:ed|ing)", "forced labou?r", "enslav(?:ed|ement)", "tortur(?:ed|e)",
               "kidnapp(?:ed|ing|ings)", "abduct(?:ed|ion|ions)", "extortion", "ransoms?", "beaten",
               "harvest(?:ed|ing)", "murders?",
               "shooting", "abused?", "imprisonment", "drew blood", "violent detentions?",
               "(?:confiscat\\w+|seiz\\w+|took|taken|withheld|held) (?:their |his |her |the )?passports?",
               "(?:passports?|papers|documents|identity cards) (?:were |was |had been )?(?:confiscated|seized|taken|withheld)",
               "sold (?:them|him|her|recruits|workers|victims|people) (?:on )?to",
               "(?:forced|made) to (?:work|run|scam|defraud)",
               "forc(?:e|ed|ing) (?:them|him|her|people|workers|victims) (?:in)?to",
               "tricked into", "(?:body|bodies) (?:was|were) found", "found dead",
               # "held a victim captive", "put to work running online fraud", "taken across the border to a compound"
               "(?:held|holding|kept|keeping) (?:[\\w-]+ ){0,3}?captive", "put to work",
               "taken (?:across the border )?(?:in)?to (?:a |an |the )?(?:[\\w-]+ ){0,2}?(?:scam |fraud )?"
               "(?:compounds?|cent(?:re|er)s?|hubs?)"),
              moves_people=True,
              takes_people_somewhere=True,
              alleged_when_told=True),
    EventType("military", "Military move", False, "#44AA99", "anchor",
              ("military (?:exercises?|cooperation|drills?|ties|base)", "joint (?:military )?exercises?", "offensives?",
               # not "fighting transnational crime", "the fight against scams": a campaign, not combat
               "fighting(?! (?:against )?(?:the )?(?:[\\w-]+ )?(?:crimes?|scams?|fraud|trafficking|corruption|drugs|"
               "money laundering))", "ceasefire", "retook|retaken|retaking|recaptur(?:ed|ing)",
               "(?:seized|took|gained|captured) control", "fell to (?:the )?(?:rebels|insurgents|resistance|army|junta)",
               "captur(?:ed|ing) (?:the )?(?:town|city|garrison|base|camp|outposts?|headquarters)",
               "warships?", "naval (?:base|ship|visit|exercises?|facility)", "troops",
               "defen[cs]e cooperation")),
    EventType("infrastructure", "Infrastructure", False, "#999933", "road",
              ("canal", "constructs?|construction", "land bridge", "upgraded", "expansion", "started works",
               "railway")),
    EventType("meeting", "Meeting", False, "#332288", "handshake",
              # not "where the borders of Thailand, Cambodia and Laos meet,"
              ("met", "meet(?:s|ing|ings)?(?![,.;])", "visit(?:s|ed)?", "visiting", "talks", "summit",
               "consultations", "toured", "tours? of", "called at")),
    EventType("statement", "Statement", False, "#888888", "comment",
              ("statements?", "(?:open )?letters?", "den(?:y|ied|ies|ial)", "warn(?:s|ed)", "(?<!as a )warning(?= (?:that|of|against|to))",
               "reject(?:s|ed)", "announc(?:ed|ement|es)", "urg(?:ed|es)", "called for", "acknowledged",
               "recanted", "declined to comment"), dated_when_said=True),
    EventType("report", "Report", False, "#AA4499", "file-lines",
              ("report(?:s|ed)?", "findings?", "published", "according to", "documentar(?:y|ies)", "death toll",
               "put the (?:\\w+ )?toll", "counted", "identified(?!(?: [\\w'’-]+){0,4}? (?:as|by)\\b)"), dated_when_said=True),
)


def event_type(name: str) -> EventType:
    """The row of a type by its name (a ``KeyError`` names a type that is not in the table)."""
    for row in EVENT_TYPES:
        if row.name == name:
            return row
    raise KeyError(name)


def type_names() -> tuple[str, ...]:
    return tuple(row.name for row in EVENT_TYPES)
