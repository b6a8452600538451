"""Fixture feeds in real-world shapes (WordPress RSS, Atom from another CMS, JSON Feed) and
broken ones, written here so the tests read them in one place."""

import json


def wordpress_rss(items, *, title="Harbour Herald", link="https://herald.example"):
    entries = "".join(
        f"""
    <item>
      <title>{i["title"]}</title>
      <link>{i["link"]}</link>
      <dc:creator><![CDATA[{i.get("author", "Staff")}]]></dc:creator>
      <pubDate>{i.get("date", "Sat, 05 Dec 2026 10:00:00 +0000")}</pubDate>
      <category><![CDATA[News]]></category>
      <guid isPermaLink="false">{i.get("guid", i["link"])}</guid>
      <description><![CDATA[{i.get("summary", "")}]]></description>
      <content:encoded><![CDATA[{i.get("content", "")}]]></content:encoded>
    </item>"""
        for i in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:atom="http://www.w3.org/2005/Atom"
  xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
  <title>{title}</title>
  <atom:link href="{link}/feed/" rel="self" type="application/rss+xml" />
  <link>{link}</link>
  <description>News from the harbour</description>
  <lastBuildDate>Sat, 05 Dec 2026 10:00:00 +0000</lastBuildDate>
  <language>en-US</language>
  <sy:updatePeriod>hourly</sy:updatePeriod>
  <generator>https://wordpress.org/?v=6.7</generator>{entries}
</channel>
</rss>""".encode()


def atom(items, *, title="Valley Courier", language="en"):
    entries = "".join(
        f"""
  <entry>
    <title type="html">{i["title"]}</title>
    <link rel="alternate" type="text/html" href="{i["link"]}"/>
    <id>{i.get("guid", i["link"])}</id>
    <updated>{i.get("date", "2026-12-05T09:00:00Z")}</updated>
    <author><name>{i.get("author", "Desk")}</name></author>
    <summary type="html">{i.get("summary", "")}</summary>
  </entry>"""
        for i in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{language}">
  <title>{title}</title>
  <id>tag:courier.example,2026:feed</id>
  <updated>2026-12-05T09:00:00Z</updated>{entries}
</feed>""".encode()


def json_feed(items, *, title="Coast Daily", language=None):
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": "https://coast.example/",
        "items": [
            {
                "id": i.get("guid", i["link"]),
                "url": i["link"],
                "title": i["title"],
                "summary": i.get("summary", ""),
                "content_html": i.get("content", ""),
                "date_published": i.get("date", "2026-12-05T08:00:00Z"),
                "authors": [{"name": i.get("author", "Reporter")}],
            }
            for i in items
        ],
    }
    if language:
        data["language"] = language
    return json.dumps(data).encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>https://bomb.example/1</link></item></channel></rss>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title>
<item><title>&secret;</title><link>https://xxe.example/1</link></item></channel></rss>"""
