"""Attack payloads for the browser's XSS test: each one, if it ever ran, would call `pwn(N)` with its own N.

Vectors cover script tags, event handlers, javascript:/data: URLs in HTML and in Markdown, markup that
breaks out of attributes, textareas and titles, parser confusion (nested and malformed tags, SVG and
MathML), entity and case tricks. Each vector is written in four settings (on its own, in a blockquote,
as link text, in emphasis), so the Markdown renderer meets it in different states.
"""
from __future__ import annotations

import base64

#: `{js}` is replaced by the payload's own call, `{b64}` by the base64 of a script tag making it.
VECTORS = [
    "<script>{js}</script>",
    "<ScRiPt>{js}</sCrIpT>",
    "<script src=data:text/javascript,{js}></script>",
    "<img src=x onerror={js}>",
    '<img src="x" onerror="{js}">',
    "<IMG SRC=x ONERROR={js}>",
    "<img src=x onerror={js}//",
    '<img """><script>{js}</script>">',
    "<img srcset=x onerror={js}>",
    "<picture><source srcset=x><img src=x onerror={js}></picture>",
    "<svg onload={js}>",
    "<svg/onload={js}//",
    "<svg><script>{js}</script></svg>",
    "<svg><animate onbegin={js} attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:{js}"><text x=20 y=20>x</text></a></svg>',
    "<svg><style><img src=x onerror={js}></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror={js}>",
    "<body onload={js}>",
    "<body/onload={js}>",
    '<iframe src="javascript:{js}"></iframe>',
    '<iframe srcdoc="<script>{js}</script>"></iframe>',
    "<iframe src=data:text/html,<script>{js}</script>>",
    '<object data="javascript:{js}"></object>',
    "<embed src=data:text/html,<script>{js}</script>>",
    '<a href="javascript:{js}">open</a>',
    '<a href="JaVaScRiPt:{js}">open</a>',
    '<a href="jav&#x09;ascript:{js}">open</a>',
    '<a href="&#106;avascript:{js}">open</a>',
    '<a href="vbscript:{js}">open</a>',
    '<a href="data:text/html;base64,{b64}">open</a>',
    "<a href=# onclick={js}>open</a>",
    "<a onmouseover={js}>hover</a>",
    "[open](javascript:{js})",
    "[open](JaVaScRiPt:{js})",
    "[open]( javascript:{js})",
    "[open](javascript&#58;{js})",
    "[open](data:text/html;base64,{b64})",
    "![pic](javascript:{js})",
    '![pic](x"onerror="{js})',
    "[open][ref]\n\n[ref]: javascript:{js}",
    "<javascript:{js}>",
    "javascript:{js}",
    "<details open ontoggle={js}>",
    "<input autofocus onfocus={js}>",
    "<select autofocus onfocus={js}>",
    "<textarea autofocus onfocus={js}>",
    "<div tabindex=1 id=x onfocus={js}>x</div>",
    "<video><source onerror={js}></video>",
    "<audio src=x onerror={js}>",
    "<marquee onstart={js}>x</marquee>",
    '<form action="javascript:{js}"><button>go</button></form>',
    '<button formaction="javascript:{js}">go</button>',
    '<meta http-equiv="refresh" content="0;url=javascript:{js}">',
    '<base href="javascript:{js}//">',
    '<link rel=stylesheet href="javascript:{js}">',
    '<div style="background:url(javascript:{js})">x</div>',
    "<style>@import 'javascript:{js}';</style>",
    "<template><script>{js}</script></template>",
    '<noscript><p title="</noscript><img src=x onerror={js}>">',
    "<scr<script>ipt>{js}</scr</script>ipt>",
    "<<script>{js}//<</script>",
    "%3Cscript%3E{js}%3C/script%3E",
    "&lt;script&gt;{js}&lt;/script&gt;",
    '"><script>{js}</script>',
    "'><img src=x onerror={js}>",
    '" onmouseover="{js}',
    "' onfocus='{js}' autofocus='",
    "</textarea><script>{js}</script>",
    "</title><script>{js}</script>",
    "</script><script>{js}</script>",
    "`<script>{js}</script>`",
    "```html\n<script>{js}</script>\n```",
    "<x onclick={js}>press</x>",
    "<img src=x onerror=eval(atob('{js64}'))>",
    "<img src=x onerror=&#x{hex};>",
    "#tag<script>{js}</script>",
    "@someone<img src=x onerror={js}>",
    "<!--<img src=\"--><img src=x onerror={js}//\">",
    "<a href=\"https://example.org\" onclick=\"{js}\">a link</a>",
    "{{{{ {js} }}}}",
]

SETTINGS = ["{p}", "> {p}", "[{p}](https://example.org)", "*{p}*"]


def _payload(vector: str, setting: str, number: int) -> str:
    js = f"pwn({number})"
    b64 = base64.b64encode(f"<script>{js}</script>".encode()).decode()
    js64 = base64.b64encode(js.encode()).decode()
    entity = ";&#x".join(f"{ord(c):x}" for c in js)
    filled = vector.replace("{js}", js).replace("{b64}", b64).replace("{js64}", js64).replace("{hex}", entity)
    return setting.replace("{p}", filled)


def payloads() -> list[str]:
    """Every vector in every setting, each calling pwn() with its own number (1, 2, ...)."""
    out = []
    for setting in SETTINGS:
        for vector in VECTORS:
            out.append(_payload(vector, setting, len(out) + 1))
    return out


PAYLOADS = payloads()
