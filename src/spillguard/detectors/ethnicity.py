"""ETHNICITY: 民族 / mz / nation columns holding the 56 official group names (汉族, 维吾尔族 …).

In Chinese exports "nation" means ethnic group. The full names ending in 族 stand on their
own; short forms, English names and GB 3304 codes (01 = 汉族) need the field name."""

from spillguard.detectors import _vocab as V
from spillguard.detectors._vocabulary import VocabularyDetector
from spillguard.detectors.base import Example as E


class EthnicityDetector(VocabularyDetector):
    id = "ethnicity"
    entity = "ETHNICITY"
    description = "Ethnic group (民族): the 56 official names, short forms and GB 3304 codes"
    label = "ethnic group vocabulary"
    field_names = ("mz", "mzdm", "民族", "族别", "nation", "ethnic", "race", "minzu")
    not_field_names = ("destination", "designation", "denomination", "international", "combination",
                       "donation", "nationality_code")
    text_keywords = ("民族", "族别", "ethnicity", "ethnic group", "nation", "mz")
    strong = V.ETHNIC_GROUPS
    weak = V.ETHNIC_WEAK
    positives = (
        E("维吾尔族", field="mz"),
        E("汉族", field="民族"),
        E("01", field="mz", note="GB 3304 code with a telling field name"),
        E("哈萨克族", field="nation"),
        E("Uyghur", field="ethnicity"),
        E("回族", field="c7", note="full group name: distinctive without a field name"),
        E("姓名：某某，民族：维吾尔族，住址：略", note="free text with keyword"),
        E("ethnic group: Uyghur"),
    )
    negatives = (
        E("01", field="c7", note="a code without a field name"),
        E("Han", field="c7"),
        E("中国", field="nationality", note="nationality, not ethnicity"),
        E("汉族", field="destination"),
        E("12", field="page"),
        E("他是维吾尔族人，来自喀什", note="free text without keyword"),
    )
