"""A synthetic WordPress export (WXR 1.2) and its uploads tarball, shaped like a news site: per
post 3 comments (the third a reply to the first), one picture for every 5 posts (the featured
picture of every fifth post), 29 writers, 8 categories, 26 tags. All words are our own.

    .venv/bin/python bench/make_wxr.py /tmp/site.xml /tmp/uploads.tar.gz --posts 100000
    # 100,000 posts, 300,000 comments, 20,000 pictures: a 298 MiB export

Deterministic for a given number of posts. bench_wordpress.py uses it.
"""

import argparse
import io
import random
import tarfile

from PIL import Image

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench site</title><link>https://old.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example</wp:base_site_url>
"""
WORDS = ("council harbour bridge tram budget river market school storm ferry museum election festival "
         "workers report plan vote city night morning station road price water energy").split()  # fmt: skip
CATEGORIES = ["World", "Politics", "Business", "Technology", "Science", "Health", "Sport", "Culture"]


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def write_export(path, tar_path, posts):
    rng = random.Random(posts)
    pictures = posts // 5
    with tarfile.open(tar_path, "w:gz") as tar:
        for i in range(1, pictures + 1):
            out = io.BytesIO()
            Image.new("RGB", (48, 32), (i % 255, (i * 7) % 255, (i * 13) % 255)).save(out, "JPEG")
            info = tarfile.TarInfo(f"uploads/2024/01/p{i}.jpg")
            info.size = len(out.getvalue())
            tar.addfile(info, io.BytesIO(out.getvalue()))
    comment_id = 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEAD)
        for a in range(29):
            f.write(f"<wp:author><wp:author_login>writer{a}</wp:author_login><wp:author_email>w{a}@old.example</wp:author_email>"
                    f"<wp:author_display_name><![CDATA[Writer {a}]]></wp:author_display_name></wp:author>\n")  # fmt: skip
        for i in range(1, pictures + 1):
            f.write(f"""<item><title>Picture {i}</title><link>https://old.example/p{i}/</link>
<wp:post_id>{1_000_000 + i}</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>https://old.example/wp-content/uploads/2024/01/p{i}.jpg</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>2024/01/p{i}.jpg</wp:meta_value></wp:postmeta>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>Picture {i}</wp:meta_value></wp:postmeta></item>
""")
        for i in range(1, posts + 1):
            day = 1 + i % 28
            date = f"20{10 + i % 14}-{1 + i % 12:02d}-{day:02d} {i % 24:02d}:{i % 60:02d}:00"
            body = "\n\n".join(sentence(rng, 18) for _ in range(6))
            thumb = f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{1_000_000 + i // 5}</wp:meta_value></wp:postmeta>" if i % 5 == 0 else ""  # fmt: skip
            comments = []
            first = comment_id
            for c in range(3):
                parent = first if c == 2 else 0
                comments.append(f"""<wp:comment><wp:comment_id>{comment_id}</wp:comment_id><wp:comment_author>Reader {comment_id % 500}</wp:comment_author>
<wp:comment_author_email>r{comment_id % 500}@readers.example</wp:comment_author_email><wp:comment_date_gmt>{date}</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{sentence(rng, 12)}]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>""")
                comment_id += 1
            slug = f"story-{i}"
            f.write(f"""<item><title><![CDATA[{sentence(rng, 7)[:-1]}]]></title><link>https://old.example/{date[:4]}/{date[5:7]}/{date[8:10]}/{slug}/</link>
<dc:creator>writer{i % 29}</dc:creator><content:encoded><![CDATA[{body}]]></content:encoded>
<excerpt:encoded><![CDATA[{sentence(rng, 10)}]]></excerpt:encoded><wp:post_id>{i}</wp:post_id>
<wp:post_date_gmt>{date}</wp:post_date_gmt><wp:post_modified_gmt>{date}</wp:post_modified_gmt>
<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="{CATEGORIES[i % 8].lower()}"><![CDATA[{CATEGORIES[i % 8]}]]></category>
<category domain="post_tag" nicename="t{i % 26}"><![CDATA[topic {i % 26}]]></category>{thumb}{"".join(comments)}</item>
""")
        f.write("</channel></rss>\n")
    return pictures, comment_id - 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", help="the .xml file to write")
    parser.add_argument("uploads", help="the uploads .tar.gz to write")
    parser.add_argument("--posts", type=int, default=10_000)
    args = parser.parse_args()
    pictures, comments = write_export(args.export, args.uploads, args.posts)
    print(f"{args.posts:,} posts, {comments:,} comments, {pictures:,} pictures")


if __name__ == "__main__":
    main()
