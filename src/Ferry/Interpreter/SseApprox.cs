namespace Ferry.Interpreter;

/// <summary>RCPPS/RCPSS and RSQRTPS/RSQRTSS. The architecture only bounds their error (1.5 × 2^-12), so
/// each vendor's results differ; Ferry reproduces the reference host (AMD Zen 3) bit for bit. Its
/// results depend only on the top 12 mantissa bits (and, for RSQRT, the exponent's parity) and
/// carry 12 significant mantissa bits, so two small tables, read from the host and verified
/// exhaustively by the tests, give them exactly. They raise no exceptions and ignore MXCSR.</summary>
public static class SseApprox
{
    // 12-bit mantissas packed two per three bytes, indexed by the top 12 input mantissa bits; for
    // RSQRT bit 12 of the index is set for odd biased exponents.
    private static readonly ushort[] Rcp = Unpack(
        "/s//+5//91//8x//79/+7K/+6G/+5C/+3s/925/911/90x/9z9/8zK/8yG/8xC/8v9/7vK/7uG/7tC/7sO/6rb/6qX/6pT/6n9/5nK/5mG/5lC" +
        "/5kO/4jb/4iX/4hT/4gf/3fs/3eo/3dk/3cg/3b9/2a5/2Z1/2Yg/2X9/1W5/1V1/1Ux/1UO/0TK/0SG/0Qx/0QO/zPK/zOG/zNC/zMf/yLb/y" +
        "KX/yJT/yIg/yHs/xGo/xFk/xEx/xD9/wC5/wB1/wBC/wAO/v/K7v+G7v9T7v8f7u7b7u6X7u5k7u4g7u3s7t2o7t117t0x7tz97sy57syG7sxC" +
        "7swO7rvK7ruX7rtT7rsf7qrs7qq57qp17qox7qn97pnK7pmG7plC7pkf7ojs7oio7ohk7ogg7of97ne57nd17ndC7ncf7mbb7maX7mZT7mYg7m" +
        "Xs7lWo7lV17lVC7lUO7kTK7kSG7kRT7kQf7jPb7jOo7jN17jMx7jL97iK57iKG7iJC7iIO7hHL7hGX7hFk7hEh7hD97gDK7gCH7gBT7gAP7f/b" +
        "3f+o3f9l3f8x3f8O3e7L3e6X3e5D3e4f3d3s3d2p3d113d1C3d0P3czb3cyY3cxk3cwx3cv+3bvK3buX3btU3bsg3brc3aqo3ap13aoy3aoO3Z" +
        "nb3ZmY3Zlk3Zkh3Zj93YjK3YiH3YhT3Ygg3Yft3Xe53Xd23XdC3Xcf3Wbc3Wao3WZ13WYy3WYO3VXL3VWX3VVk3VUh3VT93UTK3USH3URT3UQQ" +
        "3UPs3TO53TN23TNC3TMf3SLc3SKo3SJl3SIx3SIO3RHL3RGX3RFk3REh3RD93QDL3QCX3QBk3QAh3Q/9zP/KzP+HzP9TzP8hzP79zO7KzO6HzO" +
        "5TzO4gzO3tzN25zN2HzN1TzN0gzNztzMy5zMyGzMxDzMwfzLvtzLu5zLuGzLtDzLsfzKrszKqpzKp1zKpDzKofzJnszJmpzJl1zJlCzJkPzIjb" +
        "zIi6zIiGzIhTzIgQzIfszHe5zHd2zHdCzHcPzGbczGa5zGaGzGZTzGYgzGX9zFXKzFV2zFVDzFUgzFT9zETKzESXzERkzEQxzEPtzDO6zDOXzD" +
        "NkzDMxzDMOzCLbzCKozCJUzCIhzCIOzBHbzBGozBF1zBFCzBEfzADczACpzACGzABTzAAgzA/9u//Ku/+Xu/9Du/8Qu/79u+7Ku+6Xu+5ku+4x" +
        "u+4Ou93Lu92Yu911u91Cu90fu8zsu8y5u8yGu8xDu8wQu8v9u7vKu7uXu7tku7sxu7sOu6rLu6qYu6p1u6pCu6ofu5nsu5m5u5mGu5lDu5kQu5" +
        "j9u4jKu4iXu4hku4gxu4gOu3fcu3epu3eGu3dTu3cgu3b9u2bKu2aXu2ZUu2Yhu2YOu1Xbu1Wou1V1u1VCu1Ufu0Ttu0S6u0SXu0Rku0Qxu0QO" +
        "uzPbuzOouzN2uzNDuzMguzL9uyLKuyKXuyJkuyIxuyIPuxHcuxG5uxGGuxFTuxEguxD9uwDKuwCYuwBluwBCuwAfuv/sqv+5qv+Gqv9Tqv8Qqv" +
        "79qu7Lqu6Yqu51qu5Dqu4Qqu39qt26qt2Xqt1lqt0yqt0fqsztqsy6qsyXqsxDqswgqsv+qrvLqruoqrt2qrtDqrsgqrrtqqrKqqqYqqplqqpC" +
        "qqoQqqntqpnKqpmHqplkqpkyqpkPqojsqoi6qoiHqohkqoghqogOqnfcqnepqneGqndUqnchqncOqmbLqmaoqmZ2qmZDqmYgqmX+qlXLqlWoql" +
        "VlqlVCqlUQqlTtqkTKqkSYqkRlqkRCqkQQqkP9qjPLqjOYqjN1qjNDqjMQqjL9qiK6qiKXqiJlqiIyqiIfqhHtqhG6qhGXqhFlqhFCqhEQqhDt" +
        "qgDKqgCYqgBlqgBCqgAQqg/9mf/Lmf+Ymf91mf9Dmf8Qmf79me7Lme6ome52me5Dme4gme3+md3Lmd2omd12md1Tmd0hmdz+mczbmcypmcx2mc" +
        "xTmcwhmcwOmbvcmbupmbuGmbtUmbshmbsOmartmarKmaqYmaplmapCmaoQmantmZnKmZmHmZllmZlCmZkQmZj9mYjLmYipmYh2mYhDmYghmYgO" +
        "mXfcmXe5mXeHmXdlmXcymXcPmWbtmWbKmWaYmWZ1mWZDmWYhmWX+mVXLmVWpmVWGmVVUmVUxmVUPmUTtmUS6mUSHmURlmURCmUQQmUP9mTPLmT" +
        "OpmTN2mTNDmTMhmTMOmSLcmSK5mSKHmSJlmSIymSIPmRHtmRHKmRGYmRF1mRFDmREhmRD+mQDcmQC6mQCXmQBlmQBCmQAQmQ/+iP/LiP+YiP92" +
        "iP9TiP8hiP8OiO7ciO66iO6HiO5liO5DiO4giO3+iN3biN2piN2HiN1UiN0hiN0PiMzsiMy6iMyXiMxliMxDiMwQiMv+iLvciLu5iLuHiLtkiL" +
        "syiLsQiLrtiKrLiKqpiKqGiKpUiKoxiKoPiJntiJm6iJmYiJl2iJlTiJkhiJkOiIjciIi6iIiHiIhliIhDiIggiIf+iHfbiHepiHeHiHdUiHdD" +
        "iHchiHcOiGbciGa5iGaHiGZliGYyiGYQiGX9iFXLiFWpiFWHiFVliFUyiFUQiFT+iETbiESpiESHiERliERDiEQQiEP+iDPLiDOoiDN2iDNUiD" +
        "MyiDMQiDLtiCLLiCKpiCKGiCJUiCIyiCIQiCH+iBHLiBGpiBGHiBFkiBEyiBEQiBD+iADciACpiACHiABliABCiAAQiA/+d//cd/+6d/+Hd/9l" +
        "d/9Dd/8gd/7+d+7cd+66d+6Yd+5ld+5Dd+4hd+4Od93cd926d92Yd912d91Dd90hd90Pd8zsd8y6d8yYd8x2d8xUd8whd8wPd7v+d7vbd7upd7" +
        "uHd7tld7tDd7sQd7r+d6rcd6q5d6qHd6pld6pDd6ohd6n+d5ncd5nLd5mod5l2d5lUd5kyd5kQd5jtd4jLd4ipd4iGd4hUd4gyd4gQd4f+d3fL" +
        "d3epd3eYd3d1d3dDd3chd3cPd2btd2a6d2aYd2aHd2Zkd2Yyd2YQd2X+d1Xcd1Wpd1WHd1V2d1VTd1Uhd1UPd0Ttd0TLd0SYd0R2d0RUd0Qyd0" +
        "QQd0P+dzPcdzO6dzOYdzN2dzNDdzMhdzMPdyLtdyLLdyKpdyKHdyJldyJDdyIhdyIPdxHtdxHLdxGpdxGHdxFldxEydxEQdxD+dwDcdwC6dwCY" +
        "dwB2dwBUdwAhdwAPdv/tZv/LZv+pZv+HZv9lZv9DZv8hZv8PZu7tZu7LZu6pZu6HZu5lZu5DZu4hZu4PZt3tZt3LZt2pZt2HZt1lZt1DZt0QZt" +
        "z+ZszcZsy6ZsyYZsx2ZsxUZswyZswQZsv+ZrvcZru6ZruYZrt2ZrtUZrsyZrsQZrr+ZqrcZqq6ZqqYZqp2ZqpUZqoyZqoQZqn+ZpncZpm6ZpmY" +
        "Zpl2ZplUZpkyZpkQZpj+ZojcZoi6ZoiYZoh2ZohUZogyZogQZof+ZnfcZne6ZneYZnd2ZndUZncyZnchZncPZmbtZmbLZmapZmaHZmZlZmZDZm" +
        "YhZmYPZlXtZlXLZlWpZlWHZlVlZlVDZlUhZlUPZkTtZkTLZkSpZkSHZkRlZkRDZkQhZkQPZjPtZjPcZjO6ZjOYZjN2ZjNUZjMyZjMQZjL+ZiLt" +
        "ZiLLZiKpZiKHZiJlZiIyZiIQZiH+ZhHtZhHLZhGpZhGHZhFlZhFDZhEhZhEPZgD+ZgDcZgC6ZgCYZgB2ZgBUZgAyZgAQZgAPZf/tVf/LVf+pVf" +
        "+HVf9lVf9DVf8hVf8QVf7+Ve7cVe66Ve6YVe52Ve5UVe4yVe4hVe4PVd3tVd3LVd2pVd2HVd1lVd1DVd0yVd0QVdz+VczcVcy6VcyYVcx2VcxU" +
        "VcxDVcwhVcwPVbvtVbvLVbupVbuHVbtlVbtUVbsyVbsQVbr+VarcVarLVaqpVaqHVap2VapUVaoyVaoQVan+VZncVZm6VZmYVZmHVZllVZlDVZ" +
        "khVZkPVYj+VYjcVYi6VYipVYiHVYhlVYhDVYghVYgPVXftVXfLVXe6VXeYVXd2VXdUVXcyVXchVXcPVWbtVWbcVWa6VWaYVWZ2VWZUVWYyVWYQ" +
        "VWX+VVXtVVXLVVWpVVWHVVVlVVVUVVUzVVUhVVUPVUTtVUTcVUS6VUSYVUR2VURVVURDVUQhVUQPVTP+VTPcVTO6VTOHVTNmVTNUVTMyVTMQVT" +
        "MPVSLtVSLLVSKpVSKIVSJ2VSJUVSIyVSIhVSIPVRHtVRHcVRG7VRGpVRGHVRFlVRFUVREyVREQVRD+VQDdVQDLVQCpVQCHVQB2VQBUVQAyVQAQ" +
        "VQ//RP/tRP/LRP+pRP+YRP92RP9URP8yRP8RRP8PRO7tRO7LRO66RO6YRO52RO5lRO5ERO4yRO4QRO3+RN3tRN3LRN2pRN2HRN1mRN1URN0yRN" +
        "0QRN0PRMztRMzLRMypRMyIRMx2RMxURMwyRMwhRMwPRLvtRLvcRLu7RLupRLuHRLtlRLtURLsyRLsQRLsPRKruRKrcRKq6RKqYRKqHRKplRKpD" +
        "RKohRKoARKn+RJncRJm6RJmpRJmHRJllRJlURJkzRJkhRJkPRIjtRIjcRIi6RIiYRIiHRIhmRIhURIgyRIgQRIgPRHftRHfLRHepRHeYRHd2RH" +
        "dVRHdDRHchRHcQRHb+RGbcRGbLRGapRGaIRGZ2RGZURGZDRGYhRGYPRFX+RFXcRFW7RFWpRFWHRFV2RFVURFUyRFUhRFUPRETuRETcRES6RESp" +
        "RESHRER2RERlRERDREQiREQQREP+RDPtRDPLRDOpRDOYRDN2RDNVRDNDRDMhRDMQRDL+RCLcRCLLRCKpRCKIRCJ2RCJURCJDRCIhRCIPRBH+RB" +
        "HcRBG7RBGpRBGHRBF2RBFURBFDRBEyRBEQRBD/RADtRADLRAC6RACYRAB2RABlRABDRAAiRAAQRA/+M//tM//LM/+6M/+pM/+HM/9mM/9UM/8y" +
        "M/8hM/8PM+7tM+7cM+66M+6ZM+6HM+5lM+5UM+4yM+4hM+4QM+3+M93dM93LM92pM92YM912M91lM91UM90yM90RM90PM8ztM8zcM8y6M8yYM8" +
        "yHM8xlM8xEM8wyM8wQM8wPM7vtM7vcM7vLM7upM7uIM7t2M7tUM7tDM7shM7sQM7r/M6rtM6rcM6q6M6qpM6qHM6p2M6pUM6ozM6ohM6oQM6n+" +
        "M5ntM5nLM5m6M5mYM5l3M5llM5lUM5kyM5khM5kPM4j+M4jcM4i7M4ipM4iYM4h2M4hlM4hDM4gyM4gQM4f/M3ftM3fcM3e6M3epM3eHM3d2M3" +
        "dUM3czM3chM3cQM3b+M2btM2bLM2a6M2aYM2Z3M2ZlM2ZUM2YyM2YhM2YPM1X+M1XtM1XMM1W6M1WpM1WHM1V2M1VUM1VDM1UhM1UAM1T+M0Tt" +
        "M0TLM0S6M0SYM0SHM0RlM0REM0QyM0QhM0QPMzP+MzPcMzPLMzO6MzOZMzOHMzN2MzNUMzNDMzMhMzMQMzL+MyLdMyLLMyK6MyKYMyKHMyJlMy" +
        "JUMyJDMyIiMyIQMyIPMxHtMxHcMxG6MxGpMxGHMxFmMxFUMxFDMxEhMxEQMxD+MwDtMwDcMwC7MwCpMwCYMwB2MwBlMwBDMwAyMwAhMwAAMw/+" +
        "Iv/tIv/LIv+6Iv+YIv+HIv9lIv9UIv8zIv8hIv8QIv7/Iu7tIu7cIu66Iu6pIu6IIu52Iu5lIu5EIu4yIu4hIu4PIt3+It3dIt3LIt26It2ZIt" +
        "2HIt12It1UIt1DIt0iIt0QIt0PIszuIszcIszLIsypIsyYIsx3IsxlIsxUIswzIswhIswQIsv+IrvtIrvMIru6IrupIruIIrt2IrtlIrtDIrsy" +
        "IrsRIrsPIqr+IqrdIqrLIqq6IqqYIqqHIqpmIqpUIqpDIqoiIqoQIqoPIpntIpncIpm7IpmpIpmYIpl3IpllIplUIpkyIpkhIpkAIpj+IojtIo" +
        "jMIoi6IoipIoiHIoh2IohVIohDIogyIogRIogPInf+InftInfcIne7InepIneYInd3IndlIndUIncyInchIncAInb+ImbtImbMIma6ImapImaY" +
        "ImaHImZmImZUImZDImYiImYQImYPIlXtIlXcIlW7IlWpIlWYIlV3IlVlIlVUIlUyIlUhIlUAIlT+IkTtIkTMIkS6IkSpIkSIIkR2IkRlIkRUIk" +
        "QzIkQhIkQQIkQPIjPuIjPcIjPLIjO6IjOZIjOHIjN2IjNlIjNEIjMyIjMhIjMQIjL/IiLtIiLcIiLLIiKZIiKHIiJ2IiJlIiJEIiIyIiIhIiIQ" +
        "IiH/IhHtIhHcIhHLIhGqIhGYIhGHIhF2IhFVIhFDIhEyIhEhIhEAIhD+IgDtIgDcIgC7IgCpIgCYIgCHIgBmIgBUIgBDIgAyIgARIgAPIf/+Ef" +
        "/tEf/MEf+6Ef+pEf+YEf9mEf9UEf9DEf8yEf8REf8PEe7+Ee7tEe7MEe66Ee6pEe6YEe53Ee5lEe5UEe5DEe4iEe4QEe4PEd3+Ed3dEd3LEd26" +
        "Ed2pEd2IEd12Ed1lEd1UEd0zEd0hEd0QEd0PEcz/EcztEczcEczLEcyqEcyYEcyHEcx2EcxVEcxDEcwyEcwhEcwAEcv+EbvtEbvcEbu7EbupEb" +
        "uYEbuHEbtmEbtUEbtDEbsyEbsREbsPEar+EartEarMEaq6EaqpEaqYEap3EaplEapUEapDEaoiEaoREaoPEZn+EZnuEZncEZnLEZm6EZmZEZmI" +
        "EZl2EZllEZlEEZkyEZkhEZkQEZj/EYjuEYjcEYjLEYiqEYiYEYiHEYh2EYhVEYhEEYgyEYghEYgREYgPEXf+EXftEXfMEXe7EXepEXeYEXd3EX" +
        "dlEXdUEXdDEXciEXcREXcPEWb+EWbuEWbcEWbLEWa6EWaZEWaIEWZ2EWZlEWZEEWYyEWYhEWYQEWX/EVXuEVXcEVXLEVW7EVWpEVWYEVWHEVVm" +
        "EVVVEVVDEVUyEVUREVUPEUT+EUTtEUTMEUS7EUSpEUSYEUSIEUR2EURlEURUEUQzEUQiEUQQEUQPETP/ETPtETPcETPLETOqETOZETOHETN2ET" +
        "NmETNUETNDETMyETMRETMAETL+ESLtESLMESK6ESKpESKYESJ3ESJmESJUESJDESIzESIhESIQESIPERHuERHdERHLERG6ERGqERGYERGHERF2" +
        "ERFVERFEEREyEREhEREAERD/EQDuEQDdEQDLEQC6EQCpEQCYEQB3EQBmEQBVEQBEEQAyEQAhEQAQEQAPEP/uAP/dAP/MAP+7AP+pAP+YAP+HAP" +
        "92AP9VAP9EAP8zAP8iAP8QAP8PAO7+AO7tAO7MAO67AO6qAO6ZAO6HAO52AO5lAO5UAO4zAO4iAO4RAO4AAO3+AN3tAN3cAN3LAN27AN2qAN2Z" +
        "AN2IAN12AN1lAN1UAN1DAN0iAN0RAN0AANz/AMztAMzcAMzLAMy6AMyZAMyIAMx3AMxmAMxUAMxDAMwyAMwhAMwAAMv/ALvuALvdALvLALu6AL" +
        "upALuYALt3ALtmALtVALtEALsyALshALsQALsPAKr/AKruAKrdAKrMAKq6AKqpAKqYAKqHAKpmAKpVAKpEAKozAKohAKoQAKoPAJn+AJndAJnM" +
        "AJm7AJmqAJmYAJmHAJl2AJllAJlVAJlEAJkzAJkiAJkQAJkPAIj+AIjtAIjMAIi7AIiqAIiZAIiHAIh2AIhlAIhUAIhEAIgzAIgiAIgQAIgPAH" +
        "f+AHftAHfcAHe7AHeqAHeZAHeHAHd2AHdlAHdUAHdDAHczAHciAHcRAHcPAGb+AGbtAGbcAGbLAGaqAGaZAGaIAGZ2AGZlAGZUAGZDAGYyAGYi" +
        "AGYRAGYAAGX+AFXtAFXcAFXLAFW6AFWqAFWZAFWIAFV2AFVlAFVUAFVDAFUyAFURAFUAAFT/AETtAETcAETLAES6AESpAESZAESIAER3AERlAE" +
        "RUAERDAEQyAEQhAEQRAEQAAEP/ADPtADPcADPLADO6ADOpADOZADOIADN3ADNlADNUADNDADMyADMhADMAADL/ACLuACLcACLLACK6ACKpACKY" +
        "ACKIACJ3ACJmACJUACJDACIyACIhACIQACIAACH/ABHuABHcABHLABG6ABGpABGYABGIABF3ABFmABFUABFDABEyABEhABEQABEAABD/AADuAA" +
        "DcAADLAAC6AACpAACYAACIAAB3AABmAABUAABDAAAyAAAhAAAQAA");

    private static readonly ushort[] Rsqrt = Unpack(
        "oPZpn+ZpndZpnLZpm6ZpmZZpmHZpl2ZplUZplDZpkiZpkQZpkPZojuZojcZojLZoipZoiYZoh3ZohlZohUZogzZoghZogQZoftZnfcZne7Znep" +
        "ZneYZnd3ZndlZndUZncyZnchZncAZnb+ZmbtZmbMZma6ZmapZmaYZmaHZmZmZmZUZmZDZmYiZmYQZmYPZlXtZlXcZlW7ZlWpZlWYZlV3ZlVlZl" +
        "VUZlUyZlUhZlUAZlT+ZkTtZkTMZkS6ZkSpZkSHZkR2ZkRVZkRDZkQyZkQRZkQPZjP+ZjPcZjPLZjOqZjOYZjOHZjNmZjNUZjNDZjMyZjMhZjMA" +
        "ZjL+ZiLtZiLMZiK6ZiKpZiKHZiJ2ZiJVZiJDZiIyZiIRZiIPZhH+ZhHcZhHLZhGqZhGYZhGHZhFmZhFUZhFDZhEyZhEhZhEAZhD+ZgDtZgDMZg" +
        "C6ZgCpZgCHZgB2ZgBVZgBDZgAyZgARZgAPZf/+Vf/tVf/cVf+7Vf+pVf+YVf93Vf9lVf9UVf8zVf8hVf8QVf8PVe7uVe7cVe7LVe6qVe6ZVe6H" +
        "Ve52Ve5lVe5EVe4yVe4hVe4AVe3/Vd3tVd3cVd3LVd2qVd2YVd2HVd1mVd1EVd0yVd0hVd0QVdz/VcztVczcVcy7VcyqVcyYVcyHVcx2VcxVVc" +
        "xDVcwyVcwRVcwAVcv+VbvtVbvcVbu7VbupVbuYVbt3VbtmVbtUVbtDVbsyVbsRVbsPVar+VardVarMVaq6VaqpVaqYVap3VaplVapUVaozVaoi" +
        "VaoQVaoPVZn+VZndVZnLVZm6VZmZVZmZVZmHVZl2VZllVZlEVZkyVZkhVZkAVZj/VYjtVYjcVYjLVYiqVYiYVYiHVYhmVYhVVYhDVYgyVYghVY" +
        "gAVYf+VXftVXfMVXe7VXepVXeYVXeHVXdmVXdUVXdDVXciVXciVXcQVXcPVWb+VWbdVWbLVWa6VWaZVWaIVWZ2VWZlVWZUVWYzVWYhVWYQVWX/" +
        "VVX/VVXtVVXcVVXLVVWqVVWYVVWHVVVmVVVVVVVDVVUyVVUhVVUQVVT/VUTuVUTdVUS7VUSpVUSYVUSHVUR2VURVVUREVUQzVUQiVUQQVUQPVT" +
        "P+VTPtVTPMVTO7VTOqVTOZVTOHVTN2VTNlVTNUVTMzVTMiVTMRVTL/VSLtVSLcVSLLVSK6VSKZVSKIVSJ3VSJmVSJUVSJDVSIyVSIhVSIAVSH/" +
        "VRHuVRHdVRHLVRG6VRGpVRGYVRF3VRFmVRFVVRFEVREyVREhVREQVREPVQDuVQDdVQDMVQC7VQCpVQCYVQCHVQB2VQBVVQBEVQAzVQAiVQAQVQ" +
        "APVP/+RP/tRP/MRP+7RP+qRP+ZRP+HRP92RP9lRP9URP8zRP8iRP8RRP8ARP7+RO7tRO7cRO7LRO6qRO6ZRO6IRO53RO5lRO5URO5DRO4yRO4R" +
        "RO4ARO3/RN3uRN3cRN3LRN26RN2pRN2IRN13RN1mRN1VRN1DRN0yRN0hRN0QRNz/RMzuRMzdRMzMRMy6RMypRMyYRMyHRMxmRMxVRMxERMwzRM" +
        "whRMwQRMwPRLv+RLvtRLvcRLvLRLu7RLupRLuYRLuHRLt2RLtlRLtURLtDRLsiRLsQRLsPRKr+RKrtRKrcRKrLRKq6RKqZRKqHRKp2RKplRKpU" +
        "RKpDRKoyRKohRKoRRKoPRJn+RJntRJncRJnLRJm6RJmpRJmIRJl2RJllRJlURJlDRJkyRJkhRJkQRJkARJj+RIjtRIjcRIjLRIi6RIipRIiYRI" +
        "h3RIhlRIhURIhDRIgyRIghRIgQRIgPRHf/RHftRHfcRHfLRHe6RHepRHeYRHeHRHd3RHdlRHdURHdDRHcyRHchRHcQRHcPRGbuRGbcRGbLRGa6" +
        "RGapRGaYRGaHRGZ2RGZmRGZURGZDRGYyRGYhRGYQRGYPRFX+RFXuRFXcRFXLRFW6RFWpRFWYRFWHRFV2RFVVRFVDRFUyRFUhRFUQRFUPRET+RE" +
        "TtRETdRETLRES6RESpRESYRESHRER2RERlRERVRERDREQyREQhREQQREQPRDP+RDPtRDPdRDPMRDO7RDOqRDOZRDOIRDN3RDNmRDNVRDNERDMz" +
        "RDMiRDMRRDMARDL/RCLuRCLdRCLMRCK7RCKqRCKZRCKIRCJ3RCJmRCJVRCJERCIzRCIiRCIRRCIARCH/RBHuRBHdRBHMRBG7RBGqRBGZRBGIRB" +
        "F3RBFmRBFVRBFERBEzRBEiRBERRBEARBD/RADuRADdRADMRAC7RACqRACZRACIRAB3RABmRABVRABERAAzRAAiRAARRAAARA//M//uM//dM//M" +
        "M/+7M/+qM/+ZM/+IM/93M/9mM/9VM/9EM/8zM/8iM/8RM/8AM/7/M+7uM+7uM+7dM+7MM+67M+6qM+6ZM+6IM+53M+5mM+5VM+5EM+4zM+4iM+" +
        "4RM+4AM+3/M93uM93dM93MM927M92qM92ZM92IM913M913M91mM91VM91EM90zM90iM90RM90AM9z/M8zuM8zdM8zMM8y7M8yqM8yZM8yIM8yI" +
        "M8x3M8xmM8xVM8xEM8wzM8wiM8wRM8wPM7v/M7vuM7vdM7vMM7u7M7uqM7upM7uYM7uIM7t3M7tmM7tVM7tEM7szM7syM7sQM7sAM7r/M6ruM6" +
        "rdM6rMM6q7M6q6M6qpM6qZM6qIM6p3M6pmM6pVM6pEM6pDM6ohM6oRM6oAM6n/M5nuM5ndM5nMM5nLM5m6M5mqM5mZM5mIM5l3M5lmM5lVM5lU" +
        "M5lDM5kzM5kiM5kRM5kAM5j/M4juM4jtM4jLM4i7M4iqM4iZM4iIM4h3M4hmM4hlM4hUM4hEM4gzM4giM4gRM4gAM4f/M3f+M3ftM3fdM3fMM3" +
        "e7M3eqM3eZM3eIM3eHM3d2M3dmM3dVM3dEM3czM3ciM3cRM3cQM3b+M2buM2bdM2bMM2a7M2aqM2aZM2aYM2aHM2Z3M2ZmM2ZVM2ZEM2YzM2Yi" +
        "M2YhM2YQM2YAM2X/M1XuM1XdM1XMM1W7M1W6M1WpM1WZM1WIM1V3M1VmM1VVM1VEM1VDM1UyM1UiM1URM1UAM1T/M0TuM0TdM0TcM0TMM0S7M0" +
        "SqM0SpM0SYM0SHM0R3M0RmM0RVM0REM0QzM0QyM0QhM0QQM0QAM0P/MzPuMzPdMzPMMzPLMzO6MzOpMzOZMzOIMzN3MzNmMzNVMzNUMzNDMzMy" +
        "MzMiMzMRMzMAMzL/MyLuMyLtMyLcMyLLMyK7MyKqMyKZMyKIMyJ3MyJ2MyJlMyJUMyJEMyIzMyIiMyIRMyIAMyIPMxH+MxHtMxHdMxHMMxG7Mx" +
        "GqMxGZMxGYMxGHMxF2MxFmMxFVMxFVMxFEMxEzMxEyMxEhMxEQMxEAMxD/MwDuMwDdMwDMMwDLMwC6MwCpMwCZMwCIMwB3MwBmMwBVMwBUMwBD" +
        "MwAyMwAiMwARMwAAMw//Iv/uIv/tIv/cIv/LIv+7Iv+qIv+qIv+ZIv+IIv+HIv92Iv9lIv9VIv9EIv8zIv8iIv8RIv8QIv8PIu7+Iu7uIu7dIu" +
        "7MIu67Iu6qIu6pIu6YIu6HIu53Iu5mIu5mIu5VIu5EIu5DIu4yIu4hIu4RIu4AIu3/It3uIt3dIt3cIt3LIt27It2qIt2ZIt2ZIt2IIt13It12" +
        "It1lIt1VIt1EIt0zIt0iIt0RIt0AIt0PIsz+IszuIszdIszMIszMIsy7IsyqIsypIsyYIsyIIsx3IsxmIsxVIsxEIswzIswyIswhIswRIswAIs" +
        "v/Irv/IrvuIrvdIrvcIrvLIru7IruqIruZIruIIrt3IrtmIrtlIrtUIrtEIrszIrsiIrsiIrsRIrsAIrsPIqr+IqruIqrdIqrMIqrMIqq7Iqqq" +
        "IqqpIqqYIqqIIqp3IqpmIqpVIqpEIqozIqoyIqohIqoRIqoAIqn/Ipn/IpnuIpndIpncIpnLIpm7IpmqIpmZIpmZIpmIIpl3Ipl2IpllIplVIp" +
        "lEIpkzIpkiIpkRIpkAIpkPIoj+IojuIojdIojMIojMIoi7IoiqIoipIoiYIoiIIoh3IohmIohmIohVIohEIohDIogyIogiIogRIogAIogAIof/" +
        "InfuInftInfcInfMIne7IneqIneZIneYIneHInd3IndmIndlIndUIndEInczIncyInchIncRIncAIncPImb+ImbuImbdImbcImbLIma7ImaqIm" +
        "apImaYImaIImZ3ImZ2ImZlImZVImZEImZDImYyImYiImYRImYQImYPIlX/IlXuIlXtIlXcIlXMIlW7IlW6IlWpIlWZIlWIIlWHIlV2IlVmIlVV" +
        "IlVUIlVDIlUzIlUiIlUhIlUQIlUAIlT/IkT+IkTtIkTdIkTMIkTLIkS6IkSqIkSZIkSYIkSHIkR3IkRmIkRlIkRUIkREIkQzIkQyIkQhIkQRIk" +
        "QAIkQPIjP+IjPuIjPdIjPcIjPLIjO7IjOqIjOpIjOYIjOIIjN3IjN2IjNlIjNVIjNEIjNDIjMyIjMiIjMRIjMQIjMPIiL/IiLuIiLtIiLcIiLM" +
        "IiK7IiK6IiKpIiKZIiKIIiKHIiJ2IiJmIiJVIiJUIiJDIiIzIiIiIiIhIiIQIiIAIiIAIiIPIhH+IhHuIhHdIhHcIhHLIhG7IhGqIhGZIhGYIh" +
        "GIIhF3IhF2IhFmIhFVIhFEIhEzIhEyIhEiIhERIhEQIhEAIhD/IgDuIgDdIgDcIgDMIgC7IgC6IgCqIgCZIgCZIgCIIgCHIgB3IgBmIgBlIgBV" +
        "IgBEIgAzIgAiIgAhIgARIgAAIgAPIf//Ef/uEf/dEf/MEf/LEf+7Ef+qEf+pEf+ZEf+IEf93Ef9mEf9lEf9VEf9EEf9DEf8zEf8iEf8iEf8REf" +
        "8QEf8AEf7/Ee7+Ee7uEe7dEe7MEe67Ee66Ee6qEe6ZEe6YEe6IEe53Ee53Ee5mEe5lEe5VEe5EEe5DEe4zEe4iEe4REe4AEe4PEd3/Ed3uEd3t" +
        "Ed3dEd3MEd27Ed2qEd2pEd2ZEd2IEd2HEd13Ed1mEd1mEd1VEd1UEd1EEd0zEd0yEd0iEd0REd0AEdz/Ecz+EczuEczdEczcEczMEcy7Ecy7Ec" +
        "yqEcypEcyZEcyIEcyHEcx3EcxmEcxVEcxEEcxDEcwzEcwiEcwhEcwREcwAEcwAEcv/Ebv+EbvuEbvdEbvcEbvMEbu7Ebu7EbuqEbupEbuZEbuI" +
        "EbuHEbt3EbtmEbtVEbtEEbtDEbszEbsiEbshEbsREbsAEbsAEbr/Ear+EaruEardEarcEarMEaq7EaqqEaqZEaqYEaqIEap3Eap2EapmEapVEa" +
        "pVEapEEapDEaozEaoiEaohEaoREaoAEaoAEan/EZn+EZnuEZndEZncEZnMEZm7EZmqEZmZEZmYEZmIEZl3EZl2EZlmEZlVEZlVEZlEEZlDEZkz" +
        "EZkiEZkhEZkREZkAEZkAEZj/EYj+EYjuEYjdEYjcEYjMEYi7EYiqEYiZEYiYEYiIEYh3EYh2EYhmEYhVEYhVEYhEEYhDEYgzEYgiEYghEYgREY" +
        "gAEYgAEYf/EXf+EXfuEXfdEXfcEXfMEXe7EXe7EXeqEXepEXeZEXeIEXeHEXd3EXdmEXdmEXdVEXdUEXdEEXczEXcyEXciEXcREXcAEXb/EWb+" +
        "EWbuEWbdEWbcEWbMEWa7EWa6EWaqEWaZEWaYEWaIEWZ3EWZ3EWZmEWZlEWZVEWZEEWZDEWYzEWYiEWYiEWYREWYQEWYAEWX/EVX+EVXuEVXdEV" +
        "XdEVXMEVXLEVW7EVWqEVWpEVWZEVWIEVWIEVV3EVV2EVVmEVVVEVVUEVVEEVUzEVUzEVUiEVUhEVUREVUAEVUPEUT/EUTuEUTuEUTdEUTcEUTM" +
        "EUS7EUS6EUSqEUSZEUSZEUSIEUSHEUR3EURmEURlEURVEUREEUREEUQzEUQyEUQiEUQREUQQEUQAEUP/ETP/ETPuETPtETPdETPMETPLETO7ET" +
        "OqETOqETOZETOYETOIETN3ETN2ETNmETNVETNVETNEETNDETMzETMiETMhETMRETMAETMAETL/ESL+ESLuESLdESLcESLMESK7ESK7ESKqESKp" +
        "ESKZESKIESKHESJ3ESJmESJmESJVESJUESJEESIzESIyESIiESIRESIRESIAESIPERH/ERHuERHtERHdERHMERHMERG7ERGqERGpERGZERGIER" +
        "GIERF3ERF2ERFmERFmERFlERFVERFEERFEEREzEREyEREiEREREREQEREAERD/EQD/EQDuEQDtEQDdEQDMEQDLEQC7EQCqEQCqEQCZEQCYEQCI" +
        "EQB3EQB2EQBmEQBVEQBVEQBEEQBDEQAzEQAiEQAhEQAREQAAEQAAEQ//AP/+AP/uAP/dAP/cAP/MAP+7AP+7AP+qAP+pAP+ZAP+ZAP+YAP+IAP" +
        "93AP93AP9mAP9lAP9VAP9EAP9DAP8zAP8iAP8iAP8RAP8QAP8AAP7/AO7+AO7uAO7dAO7dAO7MAO7LAO67AO6qAO6pAO6ZAO6IAO6IAO53AO52" +
        "AO5mAO5mAO5lAO5VAO5EAO5EAO4zAO4yAO4iAO4RAO4QAO4AAO3/AN3/AN3uAN3tAN3dAN3MAN3LAN27AN2qAN2qAN2ZAN2YAN2IAN2IAN2HAN" +
        "13AN1mAN1mAN1VAN1UAN1EAN0zAN0yAN0iAN0RAN0RAN0AAN0PAMz/AMzuAMztAMzdAMzMAMzMAMy7AMy6AMyqAMyqAMypAMyZAMyIAMyIAMx3" +
        "AMx2AMxmAMxVAMxUAMxEAMwzAMwzAMwiAMwhAMwRAMwRAMwQAMwAAMv/ALv/ALvuALvtALvdALvMALvLALu7ALuqALuqALuZALuYALuIALt3AL" +
        "t2ALtmALtVALtVALtEALtDALszALszALsyALsiALsRALsRALsAALsPAKr/AKruAKrtAKrdAKrMAKrMAKq7AKq6AKqqAKqqAKqpAKqZAKqIAKqI" +
        "AKp3AKp2AKpmAKpVAKpUAKpEAKozAKozAKoiAKohAKoRAKoRAKoQAKoAAKn/AJn/AJnuAJntAJndAJnMAJnLAJm7AJmqAJmqAJmZAJmYAJmIAJ" +
        "mIAJmHAJl3AJlmAJlmAJlVAJlUAJlEAJkzAJkyAJkiAJkRAJkRAJkAAJkPAIj/AIj/AIj+AIjuAIjdAIjdAIjMAIjLAIi7AIi7AIi6AIiqAIiZ" +
        "AIiZAIiIAIiHAIh3AIhmAIhVAIhVAIhEAIhEAIgzAIgzAIgiAIgiAIgRAIgRAIgAAIgAAIf/AHf/AHfuAHfdAHfMAHfMAHe7AHe7AHeqAHeqAH" +
        "eZAHeZAHeIAHeIAHd3AHd3AHdmAHdmAHdVAHdVAHdEAHdEAHczAHczAHciAHciAHcRAHcAAHb/AGb/AGbuAGbuAGbdAGbdAGbMAGbMAGa7AGa7" +
        "AGaqAGaqAGaZAGaZAGaIAGaIAGZ3AGZ3AGZmAGZmAGZVAGZVAGZEAGYzAGYiAGYiAGYRAGYRAGYAAGYAAGX/AFX/AFXuAFXuAFXdAFXdAFXMAF" +
        "XMAFW7AFW7AFWqAFWqAFWZAFWZAFWIAFWIAFV3AFV3AFVmAFVmAFVVAFVVAFVEAFVEAFUzAFUiAFURAFURAFUAAFUAAFT/AET/AETuAETuAETd" +
        "AETdAETMAETMAES7AES7AESqAESqAESZAESZAESIAESIAER3AER3AERmAERmAERVAERVAEREAEREAEQzAEQzAEQiAEQRAEQAAEQAAEP/ADP/AD" +
        "PuADPuADPdADPdADPMADPMADO7ADO7ADOqADOqADOZADOZADOIADOIADN3ADN3ADNmADNmADNVADNVADNEADNEADMzADMzADMiADMiADMRADMR" +
        "ADMAADMAADL/ACL/ACLuACLuACLdACLdACLMACLMACK7ACK7ACKqACKqACKZACKZACKIACKIACJ3ACJ3ACJmACJmACJVACJEACIzACIzACIiAC" +
        "IiACIRACIRACIAACIAACH/ABH/ABHuABHuABHdABHdABHMABHMABG7ABG7ABGqABGqABGZABGZABGIABGIABF3ABF3ABFmABFmABFVABFVABFE" +
        "ABFEABEzABEzABEiABEiABERABERABEAABEAABD/AAD/AADuAADuAADdAADdAADMAADMAAC7AAC7AACqAACqAACZAACZAACIAACIAAB3AAB3AA" +
        "BmAABmAABVAABVAABEAABEAAAzAAAzAAAiAAAiAAARAAARAAAAAA/+///c//+6//+Y//+H//9l//9D//8h//7+/+7c/+66/+6Y/+6H/+5l/+5D" +
        "/+4h/+3+/93c/926/92Y/92H/91l/91D/90h/90P/8zt/8zL/8yp/8yY/8x2/8xU/8wy/8wP/7vt/7vL/7up/7uY/7t2/7tU/7sy/7sP/6rt/6" +
        "rL/6qp/6qY/6p2/6pU/6oy/6oQ/6n+/5nc/5m6/5mp/5mH/5ll/5lD/5kh/5kP/4jt/4jL/4i6/4iY/4h2/4hU/4gh/4gP/3ft/3fL/3e6/3eY" +
        "/3d2/3dU/3cy/3cQ/3b+/2bc/2bL/2ap/2aH/2Zl/2ZD/2Yh/2YP/1Xt/1Xc/1W6/1WY/1V2/1VU/1Uy/1UQ/1T+/0Tt/0TL/0Sp/0SH/0Rl/0" +
        "RD/0Qh/0QP/zP+/zPc/zO6/zOY/zN2/zNU/zMy/zMQ/zMP/yLt/yLL/yKp/yKH/yJl/yJD/yIh/yIQ/yH+/xHc/xG6/xGp/xGH/xFl/xFD/xEy" +
        "/xEQ/xD+/wDc/wC6/wCY/wCH/wBl/wBD/wAh/wAQ/w/+7v/L7v+p7v+Y7v927v9U7v8y7v8h7v8P7u7t7u7L7u667u6Y7u527u5U7u5D7u4h7u" +
        "3+7t3c7t3L7t2p7t2H7t1l7t1U7t0y7t0Q7tz+7szt7szL7syp7syH7sx27sxU7swy7swQ7swP7rvt7rvL7rup7ruY7rt27rtU7rsy7rsh7rsP" +
        "7qrt7qrL7qq67qqY7qp27qpU7qpD7qoh7qoP7pnt7pnc7pm67pmY7pl27pll7plD7pkh7pkP7oj+7ojc7oi67oiY7oiH7ohl7ohD7ogh7ogQ7o" +
        "f+7nfc7ne67nep7neH7ndl7ndD7ncy7ncQ7nb+7mbc7mbL7map7maH7mZl7mZU7mYy7mYQ7mX+7lXt7lXL7lWp7lWH7lV27lVU7lVD7lUh7lUQ" +
        "7lT+7kTc7kS67kSp7kSH7kRl7kRD7kQy7kQQ7kP+7jPc7jPL7jOp7jOY7jN27jNl7jND7jMh7jMP7iL+7iLc7iK67iKZ7iKH7iJl7iJU7iIy7i" +
        "IQ7iIP7hHt7hHM7hG67hGY7hGH7hFl7hFD7hEy7hEP7gDu7gDc7gC67gCp7gCH7gBl7gBU7gAy7gAR7gAP7f/t3f/c3f+63f+Y3f+H3f9l3f9E" +
        "3f8y3f8Q3f8P3e7t3e7L3e663e6Y3e533e5l3e5D3e4y3e4Q3e3+3d3t3d3L3d2q3d2Y3d123d1l3d1D3d0h3d0Q3dz+3czd3czL3cyp3cyY3c" +
        "x23cxU3cxD3cwh3cwA3cv+3bvc3bvL3bup3buH3bt23btU3bsz3bsh3bsP3ar+3arc3aq63aqp3aqY3ap33apl3apD3aoy3aoQ3an+3Znt3ZnL" +
        "3Zmq3ZmY3Zl23Zll3ZlD3Zkh3ZkQ3Zj+3Yjd3YjL3Yip3YiY3Yh23YhU3YhD3Ygy3YgR3YgP3Xft3Xfc3Xe63XeY3XeH3Xdl3XdE3Xcy3XcQ3X" +
        "cP3Wbt3WbL3Wa63Wap3WaI3WZ23WZU3WZD3WYh3WYP3VX+3VXc3VW73VWp3VWY3VV23VVl3VVD3VUy3VUQ3VT/3UTt3UTc3US63USp3USH3UR2" +
        "3URD3UQi3UQQ3UQP3TPt3TPc3TO63TOp3TOH3TNm3TNU3TND3TMh3TMQ3TL+3SLt3SLL3SKq3SKY3SKH3SJl3SJU3SIy3SIh3SIP3RHu3RHc3R" +
        "HL3RGp3RGY3RF23RFl3RFD3REi3REQ3REP3QDt3QDc3QC63QCp3QCH3QBm3QBU3QBD3QAh3QAQ3Q/+zP/tzP/LzP+qzP+YzP+HzP9lzP9UzP8y" +
        "zP8hzP8PzO7uzO7czO7LzO6pzO6YzO52zO5lzO5UzO4zzO4hzO4QzO3+zN3tzN3LzN26zN2YzN13zN1lzN1UzN0yzN0hzN0PzMz+zMzczMy7zM" +
        "ypzMyYzMx2zMxlzMxDzMwyzMwhzMwAzMv+zLvtzLvLzLu6zLuYzLuHzLtlzLtEzLsyzLshzLsPzKr+zKrczKrLzKq6zKqZzKqHzKp2zKpUzKpD" +
        "zKohzKoQzKnuzJnczJnLzJmpzJmYzJl3zJllzJlUzJkzzJkhzJkQzJj+zIjtzIjMzIi6zIipzIiIzIh2zIhlzIhDzIgyzIgRzIgPzHf+zHfMzH" +
        "e6zHepzHeHzHd2zHdVzHdDzHcyzHcRzHcPzGb+zGbczGbLzGaqzGaYzGaHzGZmzGZUzGZDzGYhzGYQzGX/zFXtzFXczFW7zFWpzFWYzFV2zFVl" +
        "zFVEzFUyzFUhzFUAzFT+zETtzETLzES6zESZzESHzER2zERVzERDzEQyzEQQzEQPzDPuzDPczDPLzDOqzDOYzDOHzDNlzDNUzDMzzDMhzDMQzD" +
        "L/zCLtzCLczCK6zCKpzCKIzCJ2zCJlzCJEzCIyzCIhzCIPzBH+zBHdzBHLzBG6zBGZzBGHzBF2zBFUzBFDzBEizBEQzBEPzADuzADczADLzACp" +
        "zACYzAB3zABlzABUzABEzAAyzAAhzAAPy//+u//du//Lu/+6u/+Zu/+Hu/92u/9Uu/9Du/8iu/8Qu/8Pu+7tu+7cu+67u+6pu+6Yu+6Hu+5mu+" +
        "5Uu+5Du+4yu+4Ru+4Pu93+u93tu93Mu926u92Yu92Hu91mu91Uu91Du90yu90Ru90Pu8z+u8ztu8zMu8y6u8ypu8yYu8x3u8xlu8xDu8wyu8wR" +
        "u8wPu7v+u7vtu7vMu7u6u7upu7uYu7t3u7tlu7tUu7tDu7siu7sQu7r+u6rtu6rMu6q6u6qpu6qYu6p3u6plu6pUu6pDu6oiu6oQu6oPu5n+u5" +
        "ndu5nLu5m6u5mpu5mIu5l2u5llu5lUu5kzu5khu5kQu5kPu4juu4jcu4jLu4i6u4iZu4iHu4hlu4hUu4gzu4ghu4gQu4gPu3fuu3fcu3fLu3e6" +
        "u3eZu3eHu3d2u3dlu3dEu3cyu3chu3cQu3b/u2btu2bcu2bLu2aqu2aYu2aHu2Z2u2ZVu2ZDu2Yyu2Yhu2YAu2X+u1Xtu1Xcu1W7u1Wpu1WYu1" +
        "WHu1Vmu1VUu1VDu1Uyu1URu1UPu0T+u0Ttu0TMu0S6u0Squ0SYu0SHu0R2u0Rlu0REu0Qyu0Qhu0QAu0P+uzPtuzPcuzPLuzOquzOYuzOHuzNm" +
        "uzNUuzNDuzMyuzMhuzMAuzL+uyLtuyLMuyK6uyKpuyKYuyKHuyJmuyJUuyJDuyIiuyIQuyIPuxH+uxHtuxHMuxG6uxGpuxGZuxGHuxF2uxFlux" +
        "FUuxEzuxEhuxEQuxD/uwDtuwDcuwDLuwC6uwCZuwCHuwB2uwBVuwBDuwAyuwAhuwAQuw//qv/tqv/cqv/Mqv+6qv+pqv+Yqv+Hqv9mqv9Uqv9D" +
        "qv8iqv8Qqv8Pqu7+qu7tqu7Mqu66qu6pqu6Zqu6Hqu52qu5lqu5Uqu4zqu4hqu4Qqu3/qt3tqt3cqt3Lqt26qt2Zqt2Hqt12qt1mqt1Uqt1Dqt" +
        "0yqt0hqt0Aqtz+qsztqszMqsy6qsypqsyYqsyHqsxmqsxUqsxDqswzqswhqswQqswPqrv+qrvdqrvLqru6qruqqruYqruHqrt2qrtlqrtEqrsy" +
        "qrshqrsAqrr/qqruqqrcqqrLqqq6qqqpqqqIqqp3qqpmqqpVqqpDqqoyqqohqqoQqqn/qpnuqpndqpnMqpm6qpmpqpmYqpmHqplmqplEqpkzqp" +
        "kiqpkQqpkPqoj+qojtqojMqoi7qoiqqoiZqoiHqoh2qohlqohUqogzqogiqogRqogAqof+qnftqnfcqnfLqneqqneZqneIqnd3qndlqndUqndD" +
        "qncyqncRqncAqnb/qmbuqmbcqmbLqma6qmapqmaIqmZ3qmZmqmZVqmZDqmYyqmYhqmYQqmX/qlXuqlXdqlXMqlW6qlWpqlWYqlWHqlVmqlVVql" +
        "VEqlUzqlUhqlUQqlUPqkT+qkTdqkTMqkS7qkSqqkSYqkSHqkR2qkRlqkREqkQzqkQiqkQRqkQPqjP+qjPtqjPcqjO7qjO7qjOqqjOZqjOHqjN2" +
        "qjNlqjNUqjMzqjMiqjMRqjMAqjL+qiLtqiLcqiLLqiKqqiKZqiKIqiJ3qiJlqiJUqiJDqiIyqiIRqiIQqiIPqhH+qhHtqhHcqhHLqhG6qhGpqh" +
        "GHqhF2qhFlqhFUqhFDqhEyqhEhqhEQqhD+qgDtqgDcqgDLqgC6qgCpqgCYqgCHqgB2qgBlqgBUqgBDqgAyqgAhqgAQqgAPqf/tmf/cmf/Lmf+6" +
        "mf+pmf+Ymf+Hmf92mf9lmf9Umf9Dmf8ymf8hmf8Qmf8Pme7+me7cme7Lme66me6pme6Yme6Hme52me5lme5Ume5Dme4yme4hme4Qme4Pmd3+md" +
        "3tmd3Lmd26md2pmd2Ymd2Hmd12md1lmd1Umd1Dmd0ymd0hmd0Qmd0Pmcz+mcztmczcmcy6mcypmcyYmcyHmcx2mcxlmcxUmcxDmcwymcwhmcwQ" +
        "mcwPmbv+mbvtmbvcmbvLmbu6mbupmbuYmbuHmbt2mbtlmbtUmbtDmbshmbsQmbsPmar+martmarcmarLmaq6maqpmaqYmaqHmap2maplmapUma" +
        "pDmaoymaohmaoQmaoPmZn+mZntmZncmZnLmZm6mZmZmZmImZl3mZlmmZlVmZlEmZkzmZkimZkRmZkAmZj/mYjumYjdmYjMmYi7mYiqmYiZmYiI" +
        "mYh3mYhmmYhVmYhEmYgzmYgimYgRmYgAmYf/mXfumXfdmXfMmXe7mXeqmXeZmXeImXd3mXdmmXdVmXdEmXczmXcimXcRmXcAmXb/mWbumWbdmW" +
        "bMmWa7mWaqmWaZmWaImWZ3mWZmmWZVmWZEmWYzmWYimWYRmWYAmWX/mVXumVXdmVXMmVW7mVWqmVWZmVWImVV3mVVmmVVVmVVEmVUzmVUimVUR" +
        "mVUAmVT/mUTumUTdmUTMmUS7mUSqmUSZmUSImUR3mURmmURVmUREmUQzmUQimUQRmUQAmUP/mTPumTPdmTPMmTO7mTOqmTOZmTOImTN3mTNmmT" +
        "NVmTNEmTMzmTMimTMimTMRmTMAmTL/mSLumSLdmSLMmSK7mSKqmSKZmSKImSJ3mSJmmSJVmSJEmSIzmSIimSIRmSIAmSH/mRHumRHdmRHMmRG7" +
        "mRGqmRGZmRGImRF3mRF2mRFlmRFUmRFDmREimRERmREAmRD/mQD+mQDtmQDcmQDLmQC7mQCqmQCZmQCImQCHmQB2mQBlmQBUmQAzmQAimQARmQ" +
        "AAmQAPmP/+iP/tiP/ciP+7iP+qiP+ZiP+IiP+HiP92iP9liP9UiP9EiP8ziP8iiP8RiP8QiP8PiO7+iO7tiO7MiO67iO6qiO6ZiO6YiO6HiO52" +
        "iO5liO5ViO5EiO4ziO4iiO4hiO4QiO4PiN3+iN3diN3MiN27iN2qiN2piN2YiN2HiN12iN1miN1ViN1EiN0ziN0yiN0hiN0QiN0PiMzuiMzdiM" +
        "zMiMy7iMy6iMypiMyYiMyHiMx3iMxmiMxViMxEiMxDiMwyiMwhiMwQiMv/iLvuiLvdiLvMiLvLiLu6iLupiLuYiLuIiLt3iLtmiLtViLtUiLtD" +
        "iLsyiLshiLsRiLsAiLr/iKruiKrtiKrciKrLiKq6iKqZiKqIiKp3iKpmiKpliKpUiKpDiKoyiKohiKoQiKoAiKn/iJnuiJndiJnMiJnLiJm6iJ" +
        "mpiJmZiJmIiJl3iJlmiJlViJlUiJlDiJkyiJkiiJkRiJkAiJj/iIjuiIjtiIjciIjLiIi7iIiqiIiZiIiIiIh3iIh2iIhUiIhDiIgziIgiiIgR" +
        "iIgAiIf/iHf+iHftiHfciHfMiHe7iHeqiHeZiHeIiHeHiHd2iHdliHdViHdEiHcziHciiHcRiHcQiHcPiGb+iGbuiGbdiGbMiGa7iGaqiGapiG" +
        "aYiGaHiGZ3iGZmiGZViGZEiGYziGYyiGYhiGYQiGYAiGX/iFXuiFXdiFXMiFXLiFW6iFWpiFWZiFWIiFV3iFVmiFVViFVUiFVDiFUyiFUiiFUR" +
        "iFUAiFT/iETuiETtiETciETLiES7iESqiESZiESIiER3iER2iERliERUiEREiEQziEQiiEQRiEQAiEQPiDP+iDPtiDPdiDPMiDO7iDOqiDOZiD" +
        "OYiDOHiDN2iDNmiDNViDNEiDMziDMiiDMhiDMAiDL/iCL+iCLtiCLdiCLMiCK7iCKqiCKZiCKIiCKHiCJ2iCJmiCJViCJEiCIziCIiiCIRiCIQ" +
        "iCIPiBH/iBHuiBHdiBHMiBHMiBG7iBG6iBGpiBGZiBGIiBF3iBFmiBFViBFEiBFDiBEyiBEiiBERiBEAiBD/iADuiADdiADciADLiAC7iACqiA" +
        "CZiACIiAB3iABmiABliABUiABEiAAziAAiiAARiAAAiA//d//+d//td//dd//Md/+7d/+qd/+qd/+Zd/+Yd/+Hd/93d/9md/9Vd/9Ed/8zd/8i" +
        "d/8hd/8Qd/8Ad/7/d+7ud+7dd+7Md+67d+66d+6pd+6Zd+6Id+53d+5md+5md+5Vd+5Ud+5Dd+4zd+4id+4Rd+4Ad+3/d93ud93td93cd93Md9" +
        "27d92qd92Zd92Id913d912d91ld91Vd91Ed90zd90id90id90Rd90Qd90Pd8z/d8zud8zdd8zMd8y7d8yqd8ypd8yYd8yId8x3d8xmd8xVd8xV" +
        "d8xEd8wzd8wyd8whd8wRd8wAd8wPd7vud7vdd7vMd7vLd7u6d7uqd7uZd7uYd7uId7t3d7tmd7tld7tUd7tEd7szd7syd7sRd7sAd7r/d6r+d6" +
        "rtd6rdd6rMd6rLd6q7d6qqd6qZd6qYd6qHd6p3d6pmd6pld6pEd6ozd6oid6ohd6oQd6oAd6n/d5n+d5nud5ndd5nMd5nLd5m6d5mqd5mZd5mY" +
        "d5l3d5lmd5lVd5lUd5lDd5kzd5kid5khd5kRd5kAd5j/d4j+d4jtd4jdd4jMd4jLd4i7d4iqd4iZd4iYd4iHd4h3d4hmd4hld4hEd4gzd4gid4" +
        "ghd4gQd4gAd4f/d3f+d3fud3fdd3fMd3fLd3e6d3eqd3eZd3eYd3eId3d3d3dmd3dld3dUd3dEd3czd3cyd3cRd3cAd3b/d2b+d2btd2bdd2bM" +
        "d2bLd2a7d2aqd2aZd2aYd2aHd2Z3d2Zmd2Zld2ZVd2ZEd2Yzd2Yyd2Yhd2YRd2YAd2YPd1Xud1Xdd1Xcd1XLd1W7d1Wqd1WZd1WYd1WId1V3d1" +
        "V2d1Vld1VVd1VEd1Uzd1Uyd1Uid1URd1UQd1UPd0T/d0Tud0Tdd0Tcd0TMd0S7d0S6d0Spd0SZd0SId0R3d0R2d0Rmd0RVd0RUd0RDd0Qzd0Qi" +
        "d0QRd0QQd0QAd0P/dzP+dzPtdzPddzPMdzO7dzO6dzOqdzOZdzOYdzOHdzN3dzNmdzNVdzNUdzMzdzMidzMhdzMQdzMAdzL/dyLudyLtdyLddy" +
        "LMdyLLdyK6dyKqdyKZdyKIdyKHdyJ3dyJmdyJldyJUdyJEdyIzdyIidyIhdyIRdyIAdyIPdxH+dxHudxHddxHMdxHLdxG7dxGqdxGpdxGYdxGI" +
        "dxF3dxFmdxFldxFVdxFEdxFDdxEydxEidxERdxEAdxEPdwD/dwDudwDtdwDcdwDMdwC7dwCqdwCpdwCZdwCIdwCHdwB2dwBmdwBVdwBEdwBDdw" +
        "AzdwAidwAhdwAQdwAAdw//Zv/uZv/tZv/dZv/cZv/MZv+7Zv+qZv+pZv+ZZv+IZv93Zv92Zv9mZv9VZv9EZv9DZv8zZv8iZv8RZv8QZv8AZv7/" +
        "Zu7uZu7tZu7dZu7MZu67Zu66Zu6qZu6ZZu6IZu6HZu53Zu5mZu5VZu5UZu5EZu4zZu4iZu4hZu4RZu4AZu4AZu4PZt3/Zt3uZt3dZt3cZt3MZt" +
        "27Zt2qZt2pZt2ZZt2IZt13Zt12Zt1mZt1VZt1EZt1DZt0zZt0iZt0RZt0QZt0AZtz/ZszuZsztZszdZszMZsy7Zsy6ZsyqZsyZZsyIZsyHZsx3" +
        "ZsxmZsxVZsxUZsxEZswzZswzZswyZswiZswRZswAZswPZrv/ZrvuZrvdZrvcZrvMZru7ZruqZrupZruZZruIZrt3Zrt2ZrtmZrtVZrtEZrtDZr" +
        "szZrsiZrsRZrsQZrsAZrr/ZqruZqrtZqrdZqrMZqrMZqrLZqq7ZqqqZqqZZqqYZqqIZqp3ZqpmZqplZqpVZqpEZqozZqoyZqoiZqoRZq");

    private static ushort[] Unpack(string base64)
    {
        var b = Convert.FromBase64String(base64);
        var t = new ushort[b.Length / 3 * 2];
        for (int i = 0, k = 0; i < b.Length; i += 3, k += 2)
        {
            t[k] = (ushort)(b[i] | ((b[i + 1] & 0xF) << 8));
            t[k + 1] = (ushort)((b[i + 1] >> 4) | (b[i + 2] << 4));
        }
        return t;
    }

    /// <summary>Approximate 1/x.</summary>
    public static uint RcpF32(uint a)
    {
        uint sign = a & 0x8000_0000, e = (a >> 23) & 0xFF, m = a & 0x7F_FFFF;
        if (e == 0xFF) return m != 0 ? a | 0x40_0000 : sign;
        // Denormal inputs count as zero; results too small to be normal are flushed to zero.
        if (e == 0) return sign | 0x7F80_0000;
        int re = 253 - (int)e;
        if (re <= 0) return sign;
        return sign | ((uint)re << 23) | ((uint)Rcp[m >> 11] << 11);
    }

    /// <summary>Approximate 1/sqrt(x).</summary>
    public static uint RsqrtF32(uint a)
    {
        uint e = (a >> 23) & 0xFF, m = a & 0x7F_FFFF;
        if (e == 0xFF)
        {
            if (m != 0) return a | 0x40_0000;
            return (a & 0x8000_0000) != 0 ? SseFloat.DefaultNaN32 : 0;
        }
        if (e == 0) return (a & 0x8000_0000) | 0x7F80_0000;
        if ((a & 0x8000_0000) != 0) return SseFloat.DefaultNaN32;
        int re = 190 - (int)(e >> 1) - (int)(e & 1);
        return ((uint)re << 23) | ((uint)Rsqrt[((e & 1) << 12) | (m >> 11)] << 11);
    }
}
