"""A short English edition of the 2023 report in the text-export format, written for the
tests (there is no English file in the corpus): narrative, Annex I and Annex II."""

ENGLISH = """REPORT ON THE IMPLEMENTATION OF THE DEVELOPMENT AGENDA
1.\tThis document contains the Director General's Report on the Implementation of the \
Development Agenda (DA) for 2023. It is the fourteenth such report.
Introduction
2.\tThe WIPO Pulse survey[footnoteRef:1] shows that IP is seen as a positive tool in all \
regions. [1: \tThe WIPO Pulse report is available at: \
www.wipo.int/edocs/pubdocs/en/wipo-pub-rn2023-36-en-wipo-pulse.pdf]
I. REGIONAL AND NATIONAL DEVELOPMENT SECTOR
3.\tExamples of such activities include: (i) a regional workshop on IP and traditional \
medicine for Africa;[footnoteRef:2] (ii) a pilot project on IP and think tanks in the Arab \
region; and (iii) a regional forum for women in STEM careers in Latin America. [2: \tTen \
countries benefited from the workshop: Eswatini, Ethiopia, Gambia, Liberia, Mali, Namibia, \
Niger, Nigeria, the United Republic of Tanzania and Uganda.]
Skills and Knowledge Building
4.\tThrough a total of 580 courses offered in up to 20 languages, the WIPO Academy's distance \
learning program reached 108,292 people in 2023. More than 600 participants attended the \
conference (document CDIP/31/4).
WIPO Bodies
5.\tThe CDIP held two sessions in hybrid format during the reporting period: the thirtieth \
session, held from April 24 to 28, 2023, and the thirty-first session, held from November 27 \
to December 1, 2023. The CDIP approved the following three new project proposals, bringing the \
total number of DA projects approved by the end of 2023 to 55:
(i) A project proposal on "Developing Strategies and Tools to Address Online Copyright Piracy \
in the African Digital Market" submitted by Kenya. The proposal was approved by the thirtieth \
session of the CDIP and aims to implement DA Recommendations 4, 10, 11 and 45.
(ii) A project proposal on "Empowering Youth (K-12) to Innovate for a Better Future" submitted \
by the United States of America, the Republic of Korea and Canada. The proposal was approved \
by the thirtieth session of the CDIP and aims to implement DA Recommendations 1, 3, 10, 19 \
and 30.
(iii) A proposal for Phase II of the project on "Copyright and the Distribution of Content in \
the Digital Environment" submitted by Brazil, Peru and Argentina. The proposal was approved by \
the thirty-first session of the CDIP and aims to implement DA Recommendations 1, 3, 4, 10, 11, \
16, 25 and 30.
6.\tThe Committee discussed and considered the completion and final independent evaluation \
reports of the following two DA projects, namely: (i) Intellectual Property and Gastronomic \
Tourism in Peru and Other Developing Countries; and (ii) Copyright and the Distribution of \
Content in the Digital Environment.
Ongoing DA Projects
7.\tThe Sector is responsible for the following ongoing DA projects:
(i) Identifying and Using Inventions in the Public Domain: The project was completed in \
December 2023. Pilot training workshops were held online for seven weeks.
(ii) Copyright and the Distribution of Content in the Digital Environment:[footnoteRef:3] \
Phase II of the project was approved at the thirty-first session of the CDIP. Phase I of the \
project was completed in July 2023 and evaluated in October 2023. [3: \tThe beneficiary \
countries are Brazil, Costa Rica, Argentina, Ecuador, Peru and Uruguay.]
Conclusion
8.\tWith the adoption of seven new DA projects, WIPO responded to the needs of Member States.
[Annex follows]
LINKING THE 45 DEVELOPMENT AGENDA RECOMMENDATIONS WITH THE WIPO EXPECTED RESULTS 2022/26
\tRecommendation 1*[footnoteRef:4] [4: \tThe starred recommendations were identified by the \
2007 General Assembly for immediate implementation.]
\tLink to Expected Results
\tWIPO technical assistance shall be, inter alia, development-oriented and demand-driven.
\t4.1 More effective use of IP to support growth and development of all Member States.
4.3 Enhanced IP knowledge and skills in all Member States.
\tRecommendation 2
\tLink to Expected Results
\tProvide additional assistance to WIPO through donor funding.
\t4.1 More effective use of IP to support growth and development of all Member States.
LIST OF DA PROJECTS AS OF 2023
\tCompleted and evaluated DA projects (2)
\t1.
\tIntellectual Property and Gastronomic Tourism in Peru and Other Developing Countries
\t2.
\tCopyright and the Distribution of Content in the Digital Environment
\tOngoing DA projects as of December 2023 (1)
\t1.
\tIdentifying and Using Inventions in the Public Domain
\tDA projects approved in 2023 (3)
\t1.
\tDeveloping Strategies and Tools to Address Online Copyright Piracy in the African Digital Market
\t2.
\tEmpowering Youth to Innovate for a Better Future
\t3.
\tCopyright and the Distribution of Content in the Digital Environment – Phase II
"""
