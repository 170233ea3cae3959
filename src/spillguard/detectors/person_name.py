"""PERSON_NAME: Chinese names (2-4 characters after a common surname), transliterated
Uyghur/Kazakh names with a middle dot (阿卜杜拉·艾买提) and Western "First Last".

A column counts with a telling field name (xm, 姓名, guest_name; a bare "name" only next
to personal fields such as phone or sfzh), or without one when >= 80 % of its values are
name-shaped and >= 60 % are CJK names with a common surname or dotted names. Field names of things (product_name, file_name, username …) rule a column
out. In free text only after a keyword (user=, 姓名：), never NER."""

import re

from spillguard.detectors import _vocab as V
from spillguard.detectors._vocabulary import Judgement, VocabularyDetector
from spillguard.detectors.column_view import LETTER
from spillguard.detectors.base import Example as E
from spillguard.detectors.context import name_matches

_CJK = re.compile(r"[\u4e00-\u9fff]{2,4}")
_DOTTED = re.compile(r"[\u4e00-\u9fff]{1,10}(?:[·•．・‧.][\u4e00-\u9fff]{1,10}){1,3}")
_WESTERN = re.compile(
    r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?: [A-Z]\.)?"
    r"(?: (?:(?:van|von|de|der|da|di|le|la|del|bin|al) )?(?:Mc|Mac|O')?[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}"
)
_WESTERN_ONE = re.compile(r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?")  # first_name / last_name cells
_DOTS = re.compile(r"[•．・‧.]")
# Field-name words that say "a person's name" on their own; a bare "name" needs a personal
# sibling field (a table of cities or products has a "name" column too).
_PERSON = ("xm", "姓名", "名字", "联系人", "户主", "监护人", "法定代表人", "驾驶人", "住客", "fullname", "firstname",
           "lastname", "surname", "givenname", "familyname", "realname", "truename", "lxr", "hzxm", "jsrxm",
           "lxrxm", "xingming", "guest", "owner", "driver", "customer", "passenger", "patient", "resident",
           "tenant", "visitor", "employee", "staff", "member", "contact", "person", "holder", "applicant")
_PERSONAL_SIBLINGS = ("email", "mail", "phone", "mobile", "tel", "lxdh", "sjhm", "sfzh", "idcard", "id_card",
                      "id_no", "zjhm", "birthday", "birth", "dob", "csrq", "gender", "sex", "xb", "age", "nl",
                      "address", "zz", "passport", "mz", "hyzk", "zzmm")


class PersonNameDetector(VocabularyDetector):
    id = "person-name"
    entity = "PERSON_NAME"
    description = "Personal name: Chinese, transliterated Uyghur/Kazakh (with ·), Western First Last"
    label = "name shapes"
    field_names = _PERSON + ("name",)
    not_field_names = ("user", "username", "host", "hostname", "product", "file", "filename", "company",
                       "brand", "item", "goods", "shop", "store", "merchant", "dept", "department", "org",
                       "organization", "organisation", "corp", "app", "device", "model", "table", "column",
                       "schema", "domain", "server", "nick", "nickname", "login", "account", "project",
                       "city", "province", "country", "street", "road", "place", "hotel", "school", "bank",
                       "tag", "label", "title", "class", "type", "category", "group", "role", "team",
                       "event", "key", "field", "attr", "param", "package", "image", "img", "pic",
                       "名称", "用户名", "昵称", "文件名", "主机名", "账号",
                       "hpys", "csys", "color", "colour", "颜色")  # plate/body colour: 黄色 starts with a surname
    unnamed_strong = 0.6
    # every name shape is letters (CJK or Latin), blanks, dots, hyphens and apostrophes only,
    # with at least one letter
    value_gate = r"^[\u4e00-\u9fffa-z\s·•．・‧.'\-]*[\u4e00-\u9fffa-z][\u4e00-\u9fffa-z\s·•．・‧.'\-]*$"
    value_gate_needs = (LETTER,)
    # ... and before normalisation (classify's shapes are CJK or ASCII letters, dots, blanks)
    text_value_chars = r"[\u4e00-\u9fffA-Za-z\s·•．・‧.'\-]"
    # ... and every one starts with a CJK character or a capital letter
    text_value_first = r"[\u4e00-\u9fffA-Z]"
    # key=value in logs: "user=阿布拉·麦麦提", "姓名：张伟" (the value must still be name-shaped)
    text_keywords = ("姓名", "联系人", "户主", "旅客", "住客", "name", "user", "xm", "guest", "customer", "passenger")

    def blocked(self, ctx):
        return super().blocked(ctx) and not name_matches(ctx.path, _PERSON)

    def field_name(self, ctx):
        if self.blocked(ctx):
            return None
        named = name_matches(ctx.path, _PERSON) or name_matches(ctx.path, ("name",))
        return named if named != "name" or ctx.sibling_matches(_PERSONAL_SIBLINGS) else None

    def classify(self, value: str) -> Judgement | None:
        s = value.strip()
        if not s or len(s) > 40 or V.norm(s) in V.NOT_A_NAME:
            return None
        if _CJK.fullmatch(s):
            if s.endswith(V.NON_NAME_SUFFIXES):
                return None
            if s[0] in V.SURNAMES or (len(s) > 2 and s[:2] in V.COMPOUND_SURNAMES):
                return s, 0.9, True
            return s, 0.3, False  # rare surname or an ordinary word: only with a field name
        if _DOTTED.fullmatch(s):
            return _DOTS.sub("·", s), 0.9, True
        if _WESTERN.fullmatch(s) and not set(V.norm(s).split()) & V.NON_NAME_WORDS:
            return s, 0.7, False
        if _WESTERN_ONE.fullmatch(s) and V.norm(s) not in V.NON_NAME_WORDS:
            return s, 0.5, False  # a lone given or family name: only under a telling field name
        return None

    positives = (
        E("张伟", field="xm"),
        E("欧阳娜娜", field="姓名"),
        E("阿卜杜拉·艾买提", field="name"),
        E("John Smith", field="guest_name"),
        E("Jane Doe", field="name", siblings=("email", "phone"), note="bare 'name' next to personal fields"),
        E("李秀英", field="contact_person"),
        E("王秀英", field="c3", note="common surname: name-shaped without a field name"),
        E("Mary-Jane O'Connor", field="full_name"),
        E("刘洋", field="hotel_guest_name", note="a person word beats the thing word"),
        E("Margaret", field="first_name"),
        E("2026-03-01 login user=阿布拉·麦麦提 terminal=A026", note="key=value in a log line"),
    )
    negatives = (
        E("iPhone 15 Pro", field="name"),
        E("正常", field="name", note="status word"),
        E("王伟.jpg", field="file_name"),
        E("张三", field="company_name"),
        E("zhangwei88", field="username"),
        E("web-01", field="hostname"),
        E("Baker Street", field="name"),
        E("John Smith", field="c3", note="Western shape alone is too weak"),
        E("Hong Kong", field="name", note="bare 'name' without personal siblings"),
        E("黄色", field="hpys", note="plate colour; 黄 is also a surname"),
        E("Paris", field="c7", note="a lone capitalised word without a field name"),
        E("login user=zhangwei88 ok", note="a username is not a name"),
    )
