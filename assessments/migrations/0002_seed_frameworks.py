"""Seed the frameworks of shared/DOMAIN.md, "Frameworks", as data.

Headings are named exactly; each heading carries one statement whose text is DOMAIN.md's short
paraphrase, so evidence can be tagged from day one. The official statement text comes from the
authority's file (`manage.py load_framework`), loaded as a new version that maps from this one.
The NQSW outcome statements and the Wales course outcomes exist only in such files.
The values are written out here, not imported, so this migration means the same thing forever.
"""

import datetime

from django.db import migrations

FRAMEWORKS = [
    {
        "code": "pqs-child-family",
        "version": "2018",
        "name": "Post-qualifying standards: knowledge and skills statement for child and family "
        "practitioners",
        "source": "DfE 2015, renamed PQS 2018 (shared/DOMAIN.md, Frameworks)",
        "effective_from": datetime.date(2015, 1, 1),
        "effective_to": datetime.date(2027, 3, 31),
        "programmes": ["ASYE-CF"],
        "standards": [
            ("1", "Relationships and effective direct work", "Purposeful work with children and families."),
            ("2", "Communication", "Communicating with children of any age, families and professionals."),
            ("3", "Child development", "Typical and atypical development, and attachment."),
            (
                "4",
                "Adult mental ill health, substance misuse, domestic violence, physical ill health "
                "and disability",
                "Their effects on parenting.",
            ),
            ("5", "Abuse and neglect of children", "Recognising and responding to harm."),
            ("6", "Child and family assessment", "Gathering and weighing information."),
            ("7", "Analysis, decision-making, planning and review", "Analysing, deciding, planning and reviewing."),
            ("8", "The law and the family and youth justice systems", "Working within the law and the justice systems."),
            ("9", "The role of supervision and research", "Using supervision and research in practice."),
            ("10", "Organisational context", "Working accountably within the organisation."),
        ],
    },
    {
        "code": "kss-adults",
        "version": "2015",
        "name": "Knowledge and skills statement for social workers in adult services",
        "source": "DH 2015 (shared/DOMAIN.md, Frameworks); numbering to confirm from the official file",
        "effective_from": datetime.date(2015, 1, 1),
        "effective_to": None,
        "programmes": ["ASYE-AD"],
        "standards": [
            ("1", "The role of social workers working with adults", "The role of social work with adults."),
            ("2", "Person-centred practice", "Practice centred on the person."),
            ("3", "Safeguarding", "Safeguarding adults."),
            ("4", "Mental capacity", "Applying mental capacity law and practice."),
            (
                "5",
                "Effective assessments and outcome-based support planning",
                "Assessing and planning support for outcomes.",
            ),
            ("6", "Direct work with individuals and families", "Working directly with people and families."),
            (
                "7",
                "Supervision, critical reflection and analysis",
                "Using supervision, reflecting critically and analysing.",
            ),
            ("8", "Organisational context", "Working within the organisation."),
            ("9", "Professional ethics and leadership", "Ethical practice and professional leadership."),
            ("11", "Capability at the end of the ASYE", "What a social worker can do at the end of the ASYE."),
        ],
    },
    {
        "code": "pcf",
        "version": "2018",
        "name": "Professional Capabilities Framework (NQSW/ASYE level)",
        "source": "BASW, refreshed 2018 (shared/DOMAIN.md, Frameworks)",
        "effective_from": datetime.date(2018, 1, 1),
        "effective_to": None,
        "programmes": [],
        "standards": [
            ("1", "Professionalism", "Accountable conduct, use of supervision, own development."),
            ("2", "Values and Ethics", "Ethical decisions."),
            ("3", "Diversity and Equality", "Anti-discriminatory, anti-oppressive practice."),
            ("4", "Rights, Justice and Economic Wellbeing", "Rights, poverty, exclusion."),
            ("5", "Knowledge", "Law, theory, research, lived experience."),
            ("6", "Critical Reflection and Analysis", "Evidence-based reasoning."),
            ("7", "Skills and Interventions", "Methods and relationships that help."),
            ("8", "Contexts and Organisations", "Working in and with organisations."),
            ("9", "Professional Leadership", "Learning and leadership in the profession."),
        ],
    },
    {
        "code": "early-career-standards",
        "version": "2026-consultation",
        "name": "Child and family social worker early career standards",
        "source": "Consultation domains, seeded until the published file is loaded "
        "(shared/DOMAIN.md, Frameworks)",
        "effective_from": datetime.date(2027, 4, 1),
        "effective_to": None,
        "programmes": ["ASYE-CF", "SWIP", "ECF"],
        "standards": [
            ("1", "Anti-discriminatory practice", "Practising in an anti-discriminatory way."),
            ("2", "Relationships and communication", "Building relationships and communicating well."),
            ("3", "Assessment and planning", "Assessing and planning with children and families."),
            ("4", "Intervention", "Intervening to help children and families."),
            ("5", "Reflection and learning", "Reflecting and learning from practice."),
            ("6", "Leadership and management", "Leading and managing own practice."),
        ],
    },
    {
        "code": "swe-professional-standards",
        "version": "2019",
        "name": "Social Work England professional standards",
        "source": "Social Work England 2019 (shared/DOMAIN.md, Frameworks)",
        "effective_from": datetime.date(2019, 12, 2),
        "effective_to": None,
        "programmes": [],
        "standards": [
            ("1", "Promote the rights, strengths and wellbeing of people", "Rights, strengths and wellbeing."),
            ("2", "Establish and maintain the trust and confidence of people", "Trust and confidence."),
            ("3", "Be accountable for the quality of my practice", "Accountable for practice and decisions."),
            ("4", "Maintain my continuing professional development", "Continuing professional development."),
            ("5", "Act safely, respectfully and with professional integrity", "Safe, respectful practice with integrity."),
            ("6", "Promote ethical practice and report concerns", "Ethical practice and reporting concerns."),
        ],
    },
]


def seed(apps, schema_editor):
    Framework = apps.get_model("assessments", "Framework")
    Standard = apps.get_model("assessments", "Standard")
    Statement = apps.get_model("assessments", "Statement")
    Programme = apps.get_model("programmes", "Programme")
    for data in FRAMEWORKS:
        framework = Framework.objects.create(
            code=data["code"],
            version=data["version"],
            name=data["name"],
            source=data["source"],
            effective_from=data["effective_from"],
            effective_to=data["effective_to"],
        )
        framework.programmes.set(Programme.objects.filter(code__in=data["programmes"]))
        for position, (number, title, summary) in enumerate(data["standards"], start=1):
            standard = Standard.objects.create(
                framework=framework, number=number, title=title, position=position
            )
            Statement.objects.create(standard=standard, code=f"{number}.1", text=summary, position=1)


def unseed(apps, schema_editor):
    Framework = apps.get_model("assessments", "Framework")
    Framework.objects.filter(code__in=[f["code"] for f in FRAMEWORKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("programmes", "0005_outcome_and_triangulation"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
